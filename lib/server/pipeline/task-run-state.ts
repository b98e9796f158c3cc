import type { TaskRunRow } from './ports';
import type { TaskRunState } from '@/lib/domain/pipeline/run-state';
import type { TaskRunStateName } from '@/lib/domain/pipeline/task-run-states';
import type { TektonTaskRunStatus } from '@/lib/domain/pipeline/task-run-status';

/** Exhaustive: a new TaskRun state is a compile error here until the scheduler is told what it means. */
const STATUS: { readonly [S in TaskRunStateName]: TaskRunState['status'] } = {
  pending: 'Running',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/**
 * The parts of a stored TaskRun the scheduler reads: the row's columns and, of its status, only the
 * results and the condition's reason (selected as such: a whole status is mostly step detail).
 */
export type TaskRunSummary = Pick<
  TaskRunRow,
  'name' | 'pipelineTask' | 'matrixIndex' | 'state' | 'attempt' | 'startedAt'
> & {
  results: TektonTaskRunStatus['results'] | null;
  reason: string | null;
};

/** What the scheduler needs to know of a stored TaskRun: its latest attempt and results. */
export function taskRunState(row: TaskRunSummary): TaskRunState {
  const results: Record<string, string> = {};
  for (const r of row.results ?? []) results[r.name] = typeof r.value === 'string' ? r.value : JSON.stringify(r.value);
  return {
    task: row.pipelineTask ?? row.name,
    matrixIndex: row.matrixIndex ?? undefined,
    status: STATUS[row.state],
    reason: row.reason ?? undefined,
    attempt: row.attempt,
    results,
    startTime: row.startedAt ?? undefined,
  };
}
