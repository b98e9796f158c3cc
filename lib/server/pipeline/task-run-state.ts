import type { TaskRunRow } from '@/lib/adapters/db/schema';
import type { TaskRunState } from '@/lib/domain/pipeline/run-state';
import type { TektonTaskRunStatus } from '@/lib/domain/pipeline/task-run-status';

const STATUS: Record<string, TaskRunState['status']> = {
  pending: 'Running',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** What the scheduler needs to know of a stored TaskRun: its latest attempt and results. */
export function taskRunState(row: Pick<TaskRunRow, 'name' | 'pipelineTask' | 'matrixIndex' | 'state' | 'status' | 'attempt' | 'startedAt'>): TaskRunState {
  const status = row.status as unknown as Partial<TektonTaskRunStatus>;
  const results: Record<string, string> = {};
  for (const r of status.results ?? []) results[r.name] = typeof r.value === 'string' ? r.value : JSON.stringify(r.value);
  return {
    task: row.pipelineTask ?? row.name,
    matrixIndex: row.matrixIndex ?? undefined,
    status: STATUS[row.state] ?? 'Running',
    reason: status.conditions?.[0]?.reason,
    attempt: row.attempt,
    results,
    startTime: row.startedAt ?? undefined,
  };
}
