import { isTaskRunFinished as hasTaskRunEnded } from '@/lib/domain/pipeline/task-run-states';
import { AppError } from '@/lib/errors';
import type { PipelineDeps, TaskRunRow } from './ports';

export async function findTaskRun(deps: PipelineDeps, name: string): Promise<TaskRunRow> {
  const row = await deps.stores.taskRuns.findByName(name);
  if (!row)
    throw new AppError('NOT_FOUND', `No TaskRun named "${name}".`, {
      hint: 'List TaskRuns with GET /api/v1/taskruns.',
    });
  return row;
}

export const isTaskRunFinished = (row: Pick<TaskRunRow, 'state'>) => hasTaskRunEnded(row.state);
