import { AppError } from '@/lib/errors';
import type { Principal } from '../principal';
import { findPipelineRun } from './find-pipeline-run';
import type { PipelineDeps } from './ports';
import { auditBy } from '../audit/audit-via';

/** Deletes a finished PipelineRun with its TaskRuns and logs; the audit row commits with the delete. */
export async function deletePipelineRun(deps: PipelineDeps, principal: Principal, name: string): Promise<void> {
  const row = await findPipelineRun(deps, name);
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
