import { findPipelineRun } from './find-pipeline-run';
import { taskRunResource } from './pipeline-run-resource';
import type { PipelineDeps } from './ports';

/** The newest TaskRuns, of one PipelineRun or of all, in Tekton's shape. */
export async function listTaskRuns(deps: PipelineDeps, f: { pipelineRun?: string; limit: number }) {
  const run = f.pipelineRun ? await findPipelineRun(deps, f.pipelineRun) : undefined;
  const rows = await deps.stores.taskRuns.newest(run?.id, f.limit);
  return { items: rows.map((r) => taskRunResource(r, run?.name)) };
}
