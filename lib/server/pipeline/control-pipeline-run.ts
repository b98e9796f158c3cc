import { eq } from 'drizzle-orm';
import { pipelineRuns } from '@/lib/adapters/db/schema';
import type { TPipelineRunSpecStatus } from '@/lib/domain/pipeline/spec-schemas';
import { AppError } from '@/lib/errors';
import { recordAudit } from '../audit';
import type { Deps } from '../deps';
import type { Principal } from '../principal';
import { findPipelineRun } from './query-pipeline-runs';
import { createPipelineRun, type FrozenRunSpec } from './start-pipeline-run';

export type CancelMode = Extract<TPipelineRunSpecStatus, 'Cancelled' | 'CancelledRunFinally' | 'StoppedRunFinally'>;

/** Sets spec.status as `kubectl patch` would for Tekton; the engine does the rest on its next reconcile. */
export async function cancelPipelineRun(
  deps: Deps,
  principal: Principal,
  name: string,
  mode: CancelMode,
): Promise<{ id: string }> {
  const row = await findPipelineRun(deps, name);
  if (row.completedAt)
    throw new AppError('CONFLICT', `PipelineRun "${name}" has already finished.`, {
      hint: 'Only running PipelineRuns can be cancelled.',
    });
  const frozen = row.spec as unknown as FrozenRunSpec;
  await deps.db
    .update(pipelineRuns)
    .set({ spec: { ...frozen, run: { ...frozen.run, status: mode } } })
    .where(eq(pipelineRuns.id, row.id));
  await recordAudit(deps, {
    actor: principal.username,
    action: 'pipelinerun.cancel',
    target: `pipelinerun/${name}`,
    result: 'success',
    details: { mode },
  });
  return { id: row.id };
}

/** Deletes a finished PipelineRun with its TaskRuns and logs. */
export async function deletePipelineRun(deps: Deps, principal: Principal, name: string): Promise<void> {
  const row = await findPipelineRun(deps, name);
  if (!row.completedAt)
    throw new AppError('CONFLICT', `PipelineRun "${name}" is still running.`, {
      hint: 'Cancel it first, then delete it.',
    });
  await deps.db.delete(pipelineRuns).where(eq(pipelineRuns.id, row.id));
  await recordAudit(deps, {
    actor: principal.username,
    action: 'pipelinerun.delete',
    target: `pipelinerun/${name}`,
    result: 'success',
  });
}

/** Starts a new run with the same params and workspaces (the pipeline's newest version when it was a ref). */
export async function rerunPipelineRun(
  deps: Deps,
  principal: Principal,
  name: string,
): Promise<{ id: string; name: string }> {
  const row = await findPipelineRun(deps, name);
  const frozen = row.spec as unknown as FrozenRunSpec;
  const spec = { ...frozen.run, status: undefined };
  if (!spec.pipelineRef) spec.pipelineSpec = frozen.pipelineSpec;
  const prefix = `${row.pipelineName ?? name.replace(/-[a-z0-9]{5}$/, '')}-run-`;
  const created = await deps.db.transaction((tx) =>
    createPipelineRun(
      tx,
      { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { generateName: prefix }, spec },
      principal.username,
      deps.now(),
    ),
  );
  await recordAudit(deps, {
    actor: principal.username,
    action: 'pipelinerun.rerun',
    target: `pipelinerun/${created.name}`,
    result: 'success',
    details: { from: name },
  });
  return created;
}
