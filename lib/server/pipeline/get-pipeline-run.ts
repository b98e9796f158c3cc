import { eq } from 'drizzle-orm';
import { taskRuns } from '@/lib/adapters/db/schema';
import type { Deps } from '../deps';
import { findPipelineRun } from './find-pipeline-run';
import { pipelineRunResource, taskRunResource } from './pipeline-run-resource';

/** A PipelineRun in Tekton's shape, with its TaskRuns (also Tekton-shaped) for the run page. */
export async function getPipelineRun(deps: Deps, name: string) {
  const row = await findPipelineRun(deps, name);
  const children = await deps.db
    .select()
    .from(taskRuns)
    .where(eq(taskRuns.pipelineRunId, row.id))
    .orderBy(taskRuns.createdAt);
  return { ...pipelineRunResource(row), taskRuns: children.map((c) => taskRunResource(c, row.name)) };
}
