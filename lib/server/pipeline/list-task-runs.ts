import { desc, eq } from 'drizzle-orm';
import { taskRuns } from '@/lib/adapters/db/schema';
import type { Deps } from '../deps';
import { findPipelineRun } from './find-pipeline-run';
import { taskRunResource } from './pipeline-run-resource';

/** The newest TaskRuns, of one PipelineRun or of all, in Tekton's shape. */
export async function listTaskRuns(deps: Deps, f: { pipelineRun?: string; limit: number }) {
  const run = f.pipelineRun ? await findPipelineRun(deps, f.pipelineRun) : undefined;
  const rows = await deps.db
    .select()
    .from(taskRuns)
    .where(run ? eq(taskRuns.pipelineRunId, run.id) : undefined)
    .orderBy(desc(taskRuns.createdAt))
    .limit(f.limit);
  return { items: rows.map((r) => taskRunResource(r, run?.name)) };
}
