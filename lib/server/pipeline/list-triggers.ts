import { ZCompanionSpecData } from '@/lib/domain/pipeline/stored-schemas';
import { ZTriggerSpec } from '@/lib/domain/triggers/trigger-schema';
import { AppError } from '@/lib/errors';
import type { PipelineDeps, TriggerDeliveryRow } from './ports';

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

/** Every applied Trigger by name, with its endpoint and its newest delivery. */
export async function listTriggers(deps: PipelineDeps): Promise<TriggerSummary[]> {
  const rows = await deps.stores.companions.ofKind('Trigger');
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

/** A trigger's recorded deliveries, newest first. */
export async function listDeliveries(deps: PipelineDeps, trigger: string, limit = 50): Promise<TriggerDelivery[]> {
  const row = await deps.stores.companions.find('Trigger', trigger);
  if (!row)
    throw new AppError('NOT_FOUND', `No Trigger named "${trigger}".`, {
      hint: 'Apply one with `keelson apply -f trigger.yaml` (kind: Trigger, apiVersion: keelson.dev/v1alpha1).',
    });
  const rows = await deps.stores.deliveries.list(trigger, Math.min(200, Math.max(1, Math.floor(limit))));
  return rows.map(toDelivery);
}
