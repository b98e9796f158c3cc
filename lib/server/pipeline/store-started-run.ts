import type { TPipelineRun } from '@/lib/domain/pipeline/spec-schemas';
import type { Principal } from '../principal';
import { createPipelineRun } from './create-pipeline-run';
import { jobKeys, type PipelineDeps, type PipelineUnit } from './ports';
import { auditBy } from '../audit/audit-via';
import { settleNewRuns } from './settle-new-runs';

/**
 * In the caller's transaction: stores a PipelineRun started by a person (or a trigger), its audit row and
 * its first reconcile job, so the three commit together.
 */
export async function storeStartedRun(
  deps: Pick<PipelineDeps, 'now'>,
  tx: PipelineUnit,
  principal: Principal,
  doc: TPipelineRun,
  audit: { action: string; details: Record<string, unknown>; actor?: string },
  /** How the run is stored: by default resolved from `doc`; a rerun from failed stores the earlier run's specs. */
  create: (actor: string, now: Date) => Promise<{ id: string; name: string }> = (actor, now) =>
    createPipelineRun(tx, doc, actor, now),
): Promise<{ id: string; name: string }> {
  // A trigger's run names the trigger and the service account it acted as (receive-trigger-delivery.ts).
  const actor = audit.actor ?? principal.username;
  const created = await create(actor, deps.now());
  await settleNewRuns(tx, [created.id], deps.now(), { ...principal, username: actor });
  await tx.audit.record({
    ...auditBy(principal),
    actor,
    action: audit.action,
    target: `pipelinerun/${created.name}`,
    result: 'success',
    details: audit.details,
  });
  await tx.jobs.reconcileRun(created.id, jobKeys.started(created.id));
  return created;
}
