import { AppError } from '@/lib/errors';
import type { Principal } from '../principal';
import { findAuthorizedRun } from './find-pipeline-run';
import type { AuthorizedPipelineDeps } from './pipeline-access';
import { auditBy } from '../audit/audit-via';
import { settleConcurrencyGroup } from './settle-concurrency-group';
import { refuseDeletingLiveChild } from './child-pipeline-runs';

const stillRunning = (name: string) =>
  new AppError('CONFLICT', `PipelineRun "${name}" is still running.`, {
    hint: 'Cancel it first, then delete it.',
  });

/**
 * Deletes a finished PipelineRun with its TaskRuns and logs; the audit row commits with the delete. A run still
 * queued in its concurrency group (it never started) may be deleted too: it leaves the queue, under the group's
 * lock, and the runs behind it are told what they now wait for.
 */
export async function deletePipelineRun(
  deps: AuthorizedPipelineDeps,
  principal: Principal,
  name: string,
): Promise<void> {
  const row = await findAuthorizedRun(deps, principal, name, 'delete');
  const group = !row.completedAt && !row.startedAt ? row.concurrencyGroup : null;
  if (!row.completedAt && !group) throw stillRunning(name);
  await refuseDeletingLiveChild(deps.stores.runs, row);
  await deps.stores.transaction(async (tx) => {
    if (group) {
      await tx.runs.lockGroup(group);
      // Admitted meanwhile: it runs now, and must be cancelled first like any running run.
      const queued = (await tx.runs.openInGroup(group)).find((r) => r.id === row.id);
      if (queued?.startedAt) throw stillRunning(name);
    }
    await tx.runs.delete(row.id);
    await tx.audit.record({
      ...auditBy(principal),
      action: 'pipelinerun.delete',
      target: `pipelinerun/${name}`,
      result: 'success',
    });
    if (group) await settleConcurrencyGroup(tx, group, deps.now());
  });
}
