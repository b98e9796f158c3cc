import { ZPipelineRun } from '@/lib/domain/pipeline/spec-schemas';
import type { TStartPipeline } from '@/lib/schemas/pipelines';
import { AppError } from '@/lib/errors';
import type { Principal } from '../principal';
import { generatedName } from './generated-name';
import { authorizeRunOf, gateOf, type AuthorizedPipelineDeps, type Gate } from './pipeline-access';
import type { PipelineUnit } from './ports';
import { storeStartedRun } from './store-started-run';
import { refuseStoredOverride } from './executor-override';

/** Steps a caller adds to the run's transaction (the trigger webhook claims its delivery with them). */
export interface StartHooks {
  /** Runs first: a throw (e.g. a replayed webhook delivery) creates nothing. */
  claim?: (tx: PipelineUnit) => Promise<void>;
  /** Runs after the run (with its audit row and job) is stored, before the commit. */
  started?: (tx: PipelineUnit, run: { id: string; name: string }) => Promise<void>;
}

/** Who starts the run when it is not simply the principal (a trigger delivery, see receive-trigger-delivery.ts). */
export interface StartAs {
  /** Decides `pipelineruns, create, <project>/<run>` (default: the principal's policies). */
  gate?: Gate;
  /** The Pipeline is looked up in this project only (a trigger starts its own project's pipelines). */
  project?: string;
  /** The run's createdBy and the audit actor (default: the principal's username). */
  actor?: string;
  details?: Record<string, unknown>;
}

/**
 * `keelson pipeline start NAME -p k=v -w name=emptyDir`: a PipelineRun of the stored Pipeline's newest version,
 * in the Pipeline's project (create-pipeline-run.ts stores a run from a whole PipelineRun document). The
 * caller must be allowed `pipelineruns, create` on `<project>/<run>` and on `<project>/<pipeline>-run-*`
 * (authorizeRunOf). The run, its audit row and its first
 * reconcile job commit together.
 */
export async function startPipeline(
  deps: AuthorizedPipelineDeps,
  principal: Principal,
  name: string,
  input: TStartPipeline,
  hooks: StartHooks = {},
  as: StartAs = {},
): Promise<{ id: string; name: string }> {
  const pipeline = (await deps.stores.definitions.latest('Pipeline', [name])).get(name);
  refuseStoredOverride(pipeline, await deps.executorPolicy?.());
  const project = as.project ?? pipeline?.project ?? 'default';
  const runName = generatedName(input.generateName ?? `${name}-run-`);
  const parsed = ZPipelineRun.safeParse({
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: { name: runName, namespace: project },
    spec: { pipelineRef: { name }, params: input.params, workspaces: input.workspaces, timeouts: input.timeouts },
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new AppError('BAD_REQUEST', `Invalid run: ${issues[0].path}: ${issues[0].message}`, {
      issues,
      hint: 'Fix the params and workspace bindings and start again.',
    });
  }
  const gate = as.gate ?? gateOf(deps.access, principal);
  await authorizeRunOf(gate, project, runName, { stored: name });
  return deps.stores.transaction(async (tx) => {
    await hooks.claim?.(tx);
    const created = await storeStartedRun(deps, tx, principal, parsed.data, {
      action: 'pipeline.start',
      details: { pipeline: name, ...as.details },
      actor: as.actor,
    });
    await hooks.started?.(tx, created);
    return created;
  });
}
