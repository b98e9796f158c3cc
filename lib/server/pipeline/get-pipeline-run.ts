import { findPipelineRun } from './find-pipeline-run';
import { pipelineRunResource, taskRunResource } from './pipeline-run-resource';
import type { PipelineDeps } from './ports';

/** A PipelineRun in Tekton's shape, with its TaskRuns (also Tekton-shaped) for the run page. */
export async function getPipelineRun(deps: PipelineDeps, name: string) {
  const row = await findPipelineRun(deps, name);
  const children = await deps.stores.taskRuns.ofPipelineRun(row.id);
  return { ...pipelineRunResource(row), taskRuns: children.map((c) => taskRunResource(c, row.name)) };
}
