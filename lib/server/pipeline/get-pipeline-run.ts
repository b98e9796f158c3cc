import type { Principal } from '../principal';
import { findAuthorizedRun } from './find-pipeline-run';
import { pipelineRunResource, taskRunResource } from './pipeline-run-resource';
import type { AuthorizedPipelineDeps } from './pipeline-access';

/** A PipelineRun the principal may get, in Tekton's shape, with its TaskRuns (also Tekton-shaped) for the run page. */
export async function getPipelineRun(deps: AuthorizedPipelineDeps, principal: Principal, name: string) {
  const row = await findAuthorizedRun(deps, principal, name, 'get');
  const children = await deps.stores.taskRuns.ofPipelineRun(row.id);
  return { ...pipelineRunResource(row), taskRuns: children.map((c) => taskRunResource(c, row.name)) };
}
