import { createHash } from 'node:crypto';
import { parseJsonText } from '@/lib/domain/http/bounded-parse';
import { ZCompanionSpecData, ZSealedSecretData } from '@/lib/domain/pipeline/stored-schemas';
import { evaluateDelivery } from '@/lib/domain/triggers/evaluate-delivery';
import { ZTriggerSpec, type TTriggerSpec } from '@/lib/domain/triggers/trigger-schema';
import type { NewTriggerDelivery, PipelineUnit, TriggerDeliveryStore } from '../pipeline/ports';
import type { AuthorizedPipelineDeps } from '../pipeline/pipeline-access';
import { startPipeline } from '../pipeline/start-pipeline';
import { triggerIdentity } from './trigger-identity';
import type { SecretBox } from '../security/secret-box';
import { AppError } from '@/lib/errors';
import { verifySignature } from './verify-signature';
import { clip, recordUnstartedDelivery } from './trigger-delivery-log';

export interface DeliveryOutcome {
  httpStatus: number;
  outcome: 'started' | 'filtered' | 'rejected' | 'error' | 'duplicate';
  reason?: string;
  run?: { id: string; name: string };
}

type Row = NewTriggerDelivery;

/** Thrown inside the run's transaction when the delivery already started a run: nothing is created. */
class DuplicateDelivery extends Error {}

/**
 * One webhook delivery to a trigger. An unknown trigger is a 404 and nothing is stored (anyone can
 * POST here). Otherwise: verify the signature over the raw body (401 and nothing started when it
 * fails), apply the event and branch filter (202 with the reason), else start the pipeline with params
 * mapped from the payload. A delivery whose id (or, for GitHub, whose signed body) already started a
 * run answers 200 "duplicate, ignored": the row claiming the delivery is inserted in the run's own
 * transaction against a unique index, so replays and concurrent redeliveries start one run. Every
 * delivery to a known trigger is recorded with its outcome (header values cut short; outcomes anyone can
 * repeat keep only their newest rows, see delivery-log.ts); housekeeping prunes old ones.
 */
export async function receiveTriggerDelivery(
  deps: AuthorizedPipelineDeps,
  box: SecretBox,
  name: string,
  headers: Record<string, string>,
  rawBody: string,
): Promise<DeliveryOutcome> {
  const row = await deps.stores.companions.find('Trigger', name);
  if (!row) return { httpStatus: 404, outcome: 'rejected', reason: `no trigger named "${name}"` };
  const spec = ZTriggerSpec.parse(ZCompanionSpecData.parse(row.data).spec);
  const base: Row = {
    trigger: name,
    receivedAt: deps.now(),
    event: clip(headers['x-github-event'] ?? headers['x-gitlab-event']),
    deliveryId: clip(headers['x-github-delivery'] ?? headers['x-gitlab-event-uuid']),
    outcome: 'rejected',
    httpStatus: 400,
  };
  const outcome = await decide(deps, box, { name, project: row.project }, spec, headers, rawBody, base);
  if (outcome.outcome !== 'started') {
    await recordUnstartedDelivery(deps.stores.deliveries, {
      ...base,
      outcome: outcome.outcome,
      httpStatus: outcome.httpStatus,
      reason: outcome.reason ?? null,
    });
  }
  return outcome;
}

async function decide(
  deps: AuthorizedPipelineDeps,
  box: SecretBox,
  trigger: { name: string; project: string },
  spec: TTriggerSpec,
  headers: Record<string, string>,
  rawBody: string,
  base: Row,
): Promise<DeliveryOutcome> {
  const { name } = trigger;
  const found = await deps.stores.companions.find('Secret', spec.secretRef.name);
  // The trigger's own project's Secret only.
  const secretRow = found?.project === trigger.project ? found : undefined;
  const secret = ZSealedSecretData.safeParse(secretRow?.data);
  const sealed = secret.success ? secret.data.sealed[spec.secretRef.key] : undefined;
  if (!sealed)
    return {
      httpStatus: 500,
      outcome: 'error',
      reason: `Secret "${spec.secretRef.name}" with key "${spec.secretRef.key}" was never applied`,
    };
  const verified = verifySignature(spec.provider, headers, rawBody, box.open(sealed));
  if (!verified.ok) return { httpStatus: 401, outcome: 'rejected', reason: verified.reason };
  const body = parseJsonText(rawBody);
  if (!body.ok)
    return {
      httpStatus: 400,
      outcome: 'rejected',
      reason: `the payload is not acceptable JSON: ${body.path}: ${body.message}`,
    };
  const verdict = evaluateDelivery(spec, { headers, body: body.value });
  if (verdict.kind === 'filtered') return { httpStatus: 202, outcome: 'filtered', reason: verdict.reason };
  // GitHub's HMAC covers the body only: without the digest, a captured delivery replays under a fresh id.
  const payloadDigest = spec.provider === 'github' ? createHash('sha256').update(rawBody).digest('hex') : null;
  let claimedId = '';
  const claim = async (tx: PipelineUnit) => {
    const claimed = await tx.deliveries.claimStarted({ ...base, outcome: 'started', httpStatus: 201, payloadDigest });
    if (!claimed) throw new DuplicateDelivery();
    claimedId = claimed;
  };
  try {
    const as = triggerIdentity(deps.access, trigger, spec.serviceAccountName);
    const run = await startPipeline(
      deps,
      as.principal,
      spec.pipelineRef.name,
      { params: verdict.params, workspaces: spec.workspaces },
      {
        claim,
        started: (tx, run) => tx.deliveries.setRunName(claimedId, run.name),
      },
      as.start,
    );
    return { httpStatus: 201, outcome: 'started', run };
  } catch (err) {
    if (err instanceof DuplicateDelivery)
      return duplicate(deps.stores.deliveries, name, base.deliveryId ?? null, payloadDigest);
    // The sender learns why its delivery could not start a run (a missing param, an unknown pipeline), never
    // what failed inside (the database, the queue): that goes to the server log.
    if (err instanceof AppError) return { httpStatus: 422, outcome: 'error', reason: err.message };
    console.error(`[trigger ${name}] could not start a run: ${err instanceof Error ? err.message : String(err)}`);
    return { httpStatus: 500, outcome: 'error', reason: 'The run could not be started; the server log says why.' };
  }
}

/** 200, not 409: the event was handled once; GitLab disables hooks that keep failing, and GitHub shows non-2xx as failed. */
async function duplicate(
  store: TriggerDeliveryStore,
  name: string,
  deliveryId: string | null,
  payloadDigest: string | null,
): Promise<DeliveryOutcome> {
  const first = await store.firstStarted(name, deliveryId, payloadDigest);
  const what = first?.deliveryId === deliveryId && deliveryId ? `delivery ${deliveryId}` : 'the same signed payload';
  return {
    httpStatus: 200,
    outcome: 'duplicate',
    reason: `duplicate, ignored: ${what} already started ${first?.runName ? `run ${first.runName}` : 'a run'}`,
  };
}
