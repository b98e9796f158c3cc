import { ZFrozenRunSpec } from '@/lib/domain/pipeline/stored-schemas';
import type { Principal } from '../principal';
import { findAuthorizedRun } from './find-pipeline-run';
import { childPipelineRunSummary } from './child-pipeline-run-summary';
import { pipelineRunResource, taskRunResource } from './pipeline-run-resource';
import type { AuthorizedPipelineDeps } from './pipeline-access';
import { reusedTaskRunResources } from './reused-task-run-resources';
import { treeObject } from './run-tree-object';

/** A PipelineRun the principal may get, in Tekton's shape, with its TaskRuns (also Tekton-shaped) for the run page. */
export async function getPipelineRun(deps: AuthorizedPipelineDeps, principal: Principal, name: string) {
  const row = await findAuthorizedRun(deps, principal, name, 'get');
  const children = await deps.stores.taskRuns.ofPipelineRun(row.id);
  // A rerun from failed shows the TaskRuns it reused (of an earlier run) beside its own.
  const reused = reusedTaskRunResources(ZFrozenRunSpec.parse(row.spec), row.project, row.createdAt);
  // Pipelines in Pipelines: the child PipelineRuns of its pipeline tasks, to link from the graph.
  const childRuns = await deps.stores.runs.childrenOf(row.id);
  return {
    ...pipelineRunResource(row),
    taskRuns: [...reused, ...children.map((c) => taskRunResource(c, row.name))],
    childPipelineRuns: childRuns.map(childPipelineRunSummary),
    // The RBAC object cancel and delete are asked on: a child run's root run (run-tree-object.ts).
    authorizedAs: await treeObject(deps.stores.runs, { ...row, owner: row.parentRunId }),
  };
}
