import { ZPipelineRun } from '@/lib/domain/pipeline/spec-schemas';
import type { TStartPipeline } from '@/lib/schemas/pipelines';
import { AppError } from '@/lib/errors';
import type { Principal } from '../principal';
import type { PipelineUnit, RunControlDeps } from './ports';
import { storeStartedRun } from './store-started-run';

/** Steps a caller adds to the run's transaction (the trigger webhook claims its delivery with them). */
export interface StartHooks {
  /** Runs first: a throw (e.g. a replayed webhook delivery) creates nothing. */
  claim?: (tx: PipelineUnit) => Promise<void>;
  /** Runs after the run (with its audit row and job) is stored, before the commit. */
  started?: (tx: PipelineUnit, run: { id: string; name: string }) => Promise<void>;
}

/**
 * `keelson pipeline start NAME -p k=v -w name=emptyDir`: a PipelineRun of the stored Pipeline's newest version
 * (create-pipeline-run.ts stores a run from a whole PipelineRun document). The run, its audit row and its
 * first reconcile job commit together.
 */
export async function startPipeline(
  deps: RunControlDeps,
  principal: Principal,
  name: string,
  input: TStartPipeline,
  hooks: StartHooks = {},
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
  return deps.stores.transaction(async (tx) => {
    await hooks.claim?.(tx);
    const created = await storeStartedRun(deps, tx, principal, parsed.data, {
      action: 'pipeline.start',
      details: { pipeline: name },
    });
    await hooks.started?.(tx, created);
    return created;
  });
}
