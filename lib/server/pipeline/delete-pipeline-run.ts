import { AppError } from '@/lib/errors';
import type { Principal } from '../principal';
import { findAuthorizedRun } from './find-pipeline-run';
import type { AuthorizedPipelineDeps } from './pipeline-access';
import { auditBy } from '../audit/audit-via';

/** Deletes a finished PipelineRun with its TaskRuns and logs; the audit row commits with the delete. */
export async function deletePipelineRun(
  deps: AuthorizedPipelineDeps,
  principal: Principal,
  name: string,
): Promise<void> {
  const row = await findAuthorizedRun(deps, principal, name, 'delete');
  if (!row.completedAt)
    throw new AppError('CONFLICT', `PipelineRun "${name}" is still running.`, {
      hint: 'Cancel it first, then delete it.',
    });
  await deps.stores.transaction(async (tx) => {
    await tx.runs.delete(row.id);
    await tx.audit.record({
      ...auditBy(principal),
      action: 'pipelinerun.delete',
      target: `pipelinerun/${name}`,
      result: 'success',
    });
  });
}
