import type { Principal } from '../principal';
import { findAuthorizedRun } from './find-pipeline-run';
import { taskRunResource } from './pipeline-run-resource';
import type { AuthorizedPipelineDeps } from './pipeline-access';
import type { TaskRunRow } from './ports';
import { filterGettable } from './run-tree-object';

const BATCH = 200;

/**
 * The newest TaskRuns the principal may get, of one PipelineRun (which it must be allowed to get) or of all, in
 * Tekton's shape. Across all runs the policy is applied batch by batch until `limit` permitted ones are found.
 */
export async function listTaskRuns(
  deps: AuthorizedPipelineDeps,
  principal: Principal,
  f: { pipelineRun?: string; limit: number },
) {
  if (f.pipelineRun) {
    const run = await findAuthorizedRun(deps, principal, f.pipelineRun, 'get');
    const rows = await deps.stores.taskRuns.newest(run.id, f.limit);
    return { items: rows.map((r) => taskRunResource(r, run.name)) };
  }
  const found: TaskRunRow[] = [];
  for (let offset = 0; found.length < f.limit; offset += BATCH) {
    const batch = await deps.stores.taskRuns.newest(undefined, BATCH, offset);
    const allowed = await filterGettable(deps, principal, batch, (r) => ({ ...r, owner: r.pipelineRunId }));
    found.push(...allowed);
    if (batch.length < BATCH) break;
  }
  return { items: found.slice(0, f.limit).map((r) => taskRunResource(r)) };
}
