import type { Db } from '@/lib/adapters/db/client';
import { ZPipelineRun } from '@/lib/domain/pipeline/spec-schemas';
import type { TStartPipeline } from '@/lib/schemas/pipelines';
import { AppError } from '@/lib/errors';
import { recordAudit } from '../audit';
import type { Deps } from '../deps';
import type { Principal } from '../principal';
import { createPipelineRun } from './start-pipeline-run';

/** `keelson pipeline start NAME -p k=v -w name=emptyDir`: a PipelineRun of the pipeline's newest version. */
export async function startPipeline(
  deps: Deps,
  principal: Principal,
  name: string,
  input: TStartPipeline,
  /** Runs in the run's transaction, first: a throw (e.g. a replayed webhook delivery) creates nothing. */
  claim?: (tx: Db) => Promise<void>,
): Promise<{ id: string; name: string }> {
  const parsed = ZPipelineRun.safeParse({
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: { generateName: input.generateName ?? `${name}-run-` },
    spec: { pipelineRef: { name }, params: input.params, workspaces: input.workspaces, timeouts: input.timeouts },
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new AppError('BAD_REQUEST', `Invalid run: ${issues[0].path}: ${issues[0].message}`, {
      issues,
      hint: 'Fix the params and workspace bindings and start again.',
    });
  }
  const created = await deps.db.transaction(async (tx) => {
    await claim?.(tx);
    return createPipelineRun(tx, parsed.data, principal.username, deps.now());
  });
  await recordAudit(deps, {
    actor: principal.username,
    action: 'pipeline.start',
    target: `pipelinerun/${created.name}`,
    result: 'success',
    details: { pipeline: name },
  });
  return created;
}
