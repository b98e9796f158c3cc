import type { TPipelineRunSpecStatus } from '@/lib/domain/pipeline/spec-schemas';
import { ZFrozenRunSpec } from '@/lib/domain/pipeline/stored-schemas';
import { AppError } from '@/lib/errors';
import type { Principal } from '../principal';
import { findAuthorizedRun } from './find-pipeline-run';
import type { AuthorizedPipelineDeps } from './pipeline-access';
import { jobKeys } from './ports';
import { auditBy } from '../audit/audit-via';

export type CancelMode = Extract<TPipelineRunSpecStatus, 'Cancelled' | 'CancelledRunFinally' | 'StoppedRunFinally'>;

/**
 * Sets spec.status as `kubectl patch` would for Tekton; the engine does the rest on the reconcile queued
 * with it. The change, its audit row and the job commit together.
 */
export async function cancelPipelineRun(
  deps: AuthorizedPipelineDeps,
  principal: Principal,
  name: string,
  mode: CancelMode,
): Promise<{ id: string }> {
  const row = await findAuthorizedRun(deps, principal, name, 'cancel');
  if (row.completedAt)
    throw new AppError('CONFLICT', `PipelineRun "${name}" has already finished.`, {
      hint: 'Only running PipelineRuns can be cancelled.',
    });
  const frozen = ZFrozenRunSpec.parse(row.spec);
  // Asking again for the mode the run already has changes nothing and queues nothing; it is still audited.
  const changes = frozen.run.status !== mode;
  await deps.stores.transaction(async (tx) => {
    if (changes) await tx.runs.saveSpec(row.id, { ...frozen, run: { ...frozen.run, status: mode } });
    await tx.audit.record({
      ...auditBy(principal),
      action: 'pipelinerun.cancel',
      target: `pipelinerun/${name}`,
      result: 'success',
      details: { mode },
    });
    if (changes) await tx.jobs.reconcileRun(row.id, jobKeys.cancelled(row.id, mode, deps.now()));
  });
  return { id: row.id };
}
