import { ZCompanionSpecData } from '@/lib/domain/pipeline/stored-schemas';
import { ZTriggerSpec } from '@/lib/domain/triggers/trigger-schema';
import type { Principal } from '../principal';
import { authorizeGet, notFoundFor, objectOf, type AuthorizedPipelineDeps } from './pipeline-access';
import type { TriggerDeliveryRow } from './ports';

export type DeliveryOutcomeName = 'started' | 'filtered' | 'rejected' | 'error' | 'duplicate';

/** One recorded webhook delivery, as the API and the UI show it. */
export interface TriggerDelivery {
  id: string;
  receivedAt: string;
  event: string | null;
  outcome: DeliveryOutcomeName;
  httpStatus: number;
  reason: string | null;
  runName: string | null;
  deliveryId: string | null;
}

export interface TriggerSummary {
  name: string;
  project: string;
  /** The project role its deliveries act as; null: the implicit service account (its own project's runs only). */
  serviceAccountName: string | null;
  provider: 'github' | 'gitlab';
  pipeline: string;
  filter: { events: string[]; branches: string[] };
  /** Relative to the server's origin; the UI prefixes the browser's. */
  webhookPath: string;
  secretRef: { name: string; key: string };
  updatedAt: string;
  lastDelivery: TriggerDelivery | null;
}

const OUTCOMES: readonly DeliveryOutcomeName[] = ['started', 'filtered', 'rejected', 'error', 'duplicate'];

export const webhookPath = (name: string) => `/api/webhooks/triggers/${encodeURIComponent(name)}`;

function toDelivery(row: TriggerDeliveryRow): TriggerDelivery {
  return {
    id: row.id,
    receivedAt: row.receivedAt.toISOString(),
    event: row.event,
    outcome: OUTCOMES.find((o) => o === row.outcome) ?? 'error',
    httpStatus: row.httpStatus,
    reason: row.reason,
    runName: row.runName,
    deliveryId: row.deliveryId,
  };
}

/** Every applied Trigger the principal may get, by name, with its endpoint and its newest delivery. */
export async function listTriggers(deps: AuthorizedPipelineDeps, principal: Principal): Promise<TriggerSummary[]> {
  const all = await deps.stores.companions.ofKind('Trigger');
  const rows = await deps.access.filter(principal, 'triggers', 'get', all, (r) => objectOf(r.project, r.name));
  if (rows.length === 0) return [];
  // Newest delivery per trigger in one query.
  const latest = await deps.stores.deliveries.newestOf(rows.map((r) => r.name));
  const byTrigger = new Map(latest.map((d) => [d.trigger, toDelivery(d)]));
  return rows.flatMap((row) => {
    const data = ZCompanionSpecData.safeParse(row.data);
    const parsed = ZTriggerSpec.safeParse(data.success ? data.data.spec : undefined);
    if (!parsed.success) return [];
    const spec = parsed.data;
    return [
      {
        name: row.name,
        project: row.project,
        serviceAccountName: spec.serviceAccountName ?? null,
        provider: spec.provider,
        pipeline: spec.pipelineRef.name,
        filter: { events: spec.filter?.events ?? [], branches: spec.filter?.branches ?? [] },
        webhookPath: webhookPath(row.name),
        secretRef: spec.secretRef,
        updatedAt: row.updatedAt.toISOString(),
        lastDelivery: byTrigger.get(row.name) ?? null,
      },
    ];
  });
}

/** The recorded deliveries of a trigger the principal may get, newest first. */
export async function listDeliveries(
  deps: AuthorizedPipelineDeps,
  principal: Principal,
  trigger: string,
  limit = 50,
): Promise<TriggerDelivery[]> {
  const row = await deps.stores.companions.find('Trigger', trigger);
  if (!row)
    throw await notFoundFor(
      deps.access,
      principal,
      'triggers',
      trigger,
      `No Trigger named "${trigger}".`,
      'Apply one with `keelson apply -f trigger.yaml` (kind: Trigger, apiVersion: keelson.dev/v1alpha1).',
    );
  await authorizeGet(deps, principal, 'triggers', row);
  const rows = await deps.stores.deliveries.list(trigger, Math.min(200, Math.max(1, Math.floor(limit))));
  return rows.map(toDelivery);
}
