import { and, eq } from 'drizzle-orm';
import { companions, triggerDeliveries } from '@/lib/adapters/db/schema';
import { evaluateDelivery } from '@/lib/domain/triggers/evaluate-delivery';
import { ZTriggerSpec } from '@/lib/domain/triggers/trigger-schema';
import type { Deps } from '../deps';
import { startPipeline } from '../pipeline/start-pipeline';
import type { SecretBox } from '../security/secret-box';
import { verifySignature } from '../webhooks/verify-signature';

export interface DeliveryOutcome {
  httpStatus: number;
  outcome: 'started' | 'filtered' | 'rejected' | 'error';
  reason?: string;
  run?: { id: string; name: string };
}

/**
 * One webhook delivery to a trigger: verify the signature over the raw body (401 and nothing started
 * when it fails), apply the event and branch filter (202 with the reason), else start the pipeline
 * with params mapped from the payload. Every delivery is recorded with its outcome.
 */
export async function receiveDelivery(deps: Deps, box: SecretBox, name: string, headers: Record<string, string>, rawBody: string): Promise<DeliveryOutcome> {
  const outcome = await decide(deps, box, name, headers, rawBody);
  await deps.db.insert(triggerDeliveries).values({
    trigger: name,
    receivedAt: deps.now(),
    event: headers['x-github-event'] ?? headers['x-gitlab-event'] ?? null,
    outcome: outcome.outcome,
    httpStatus: outcome.httpStatus,
    reason: outcome.reason ?? null,
    runName: outcome.run?.name ?? null,
    deliveryId: headers['x-github-delivery'] ?? headers['x-gitlab-event-uuid'] ?? null,
  });
  return outcome;
}

async function decide(deps: Deps, box: SecretBox, name: string, headers: Record<string, string>, rawBody: string): Promise<DeliveryOutcome> {
  const [row] = await deps.db.select().from(companions).where(and(eq(companions.kind, 'Trigger'), eq(companions.name, name)));
  if (!row) return { httpStatus: 404, outcome: 'rejected', reason: `no trigger named "${name}"` };
  const spec = ZTriggerSpec.parse((row.data as { spec: unknown }).spec);
  const [secretRow] = await deps.db.select().from(companions).where(and(eq(companions.kind, 'Secret'), eq(companions.name, spec.secretRef.name)));
  const sealed = (secretRow?.data as { sealed?: Record<string, string> } | undefined)?.sealed?.[spec.secretRef.key];
  if (!sealed) return { httpStatus: 500, outcome: 'error', reason: `Secret "${spec.secretRef.name}" with key "${spec.secretRef.key}" was never applied` };
  const verified = verifySignature(spec.provider, headers, rawBody, box.open(sealed));
  if (!verified.ok) return { httpStatus: 401, outcome: 'rejected', reason: verified.reason };
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return { httpStatus: 400, outcome: 'rejected', reason: 'the payload is not JSON' };
  }
  const verdict = evaluateDelivery(spec, { headers, body });
  if (verdict.kind === 'filtered') return { httpStatus: 202, outcome: 'filtered', reason: verdict.reason };
  try {
    const run = await startPipeline(deps, { userId: '', username: `trigger:${name}`, name: null, role: 'system', groups: [], via: 'token' }, spec.pipelineRef.name, {
      params: verdict.params,
      workspaces: spec.workspaces,
    });
    return { httpStatus: 201, outcome: 'started', run };
  } catch (err) {
    return { httpStatus: 422, outcome: 'error', reason: (err as Error).message };
  }
}
