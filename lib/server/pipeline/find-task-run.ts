import { isTaskRunFinished as hasTaskRunEnded } from '@/lib/domain/pipeline/task-run-states';
import { foundOrNotFound } from './found-or-not-found';
import type { PipelineDeps, TaskRunRow } from './ports';

/** The stored TaskRun of that name, or NOT_FOUND. */
export async function findTaskRun(deps: PipelineDeps, name: string): Promise<TaskRunRow> {
  return foundOrNotFound(
    await deps.stores.taskRuns.findByName(name),
    `No TaskRun named "${name}".`,
    'List TaskRuns with GET /api/v1/taskruns.',
  );
}

export const isTaskRunFinished = (row: Pick<TaskRunRow, 'state'>) => hasTaskRunEnded(row.state);
