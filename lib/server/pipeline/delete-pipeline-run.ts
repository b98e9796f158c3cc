import { eq } from 'drizzle-orm';
import { pipelineRuns } from '@/lib/adapters/db/schema';
import { AppError } from '@/lib/errors';
import { recordAudit } from '../audit';
import type { Deps } from '../deps';
import type { Principal } from '../principal';
import { findPipelineRun } from './find-pipeline-run';

/** Deletes a finished PipelineRun with its TaskRuns and logs; the audit row commits with the delete. */
export async function deletePipelineRun(deps: Deps, principal: Principal, name: string): Promise<void> {
  const row = await findPipelineRun(deps, name);
  if (!row.completedAt)
    throw new AppError('CONFLICT', `PipelineRun "${name}" is still running.`, {
      hint: 'Cancel it first, then delete it.',
    });
  await deps.db.transaction(async (tx) => {
    await tx.delete(pipelineRuns).where(eq(pipelineRuns.id, row.id));
    await recordAudit(
      { db: tx, now: deps.now },
      { actor: principal.username, action: 'pipelinerun.delete', target: `pipelinerun/${name}`, result: 'success' },
    );
  });
}
