import { eq } from 'drizzle-orm';
import { taskRuns, type TaskRunRow } from '@/lib/adapters/db/schema';
import { isTaskRunFinished as hasTaskRunEnded } from '@/lib/domain/pipeline/task-run-states';
import { AppError } from '@/lib/errors';
import type { Deps } from '../deps';

export async function findTaskRun(deps: Deps, name: string): Promise<TaskRunRow> {
  const [row] = await deps.db.select().from(taskRuns).where(eq(taskRuns.name, name));
  if (!row)
    throw new AppError('NOT_FOUND', `No TaskRun named "${name}".`, {
      hint: 'List TaskRuns with GET /api/v1/taskruns.',
    });
  return row;
}

export const isTaskRunFinished = (row: Pick<TaskRunRow, 'state'>) => hasTaskRunEnded(row.state);
