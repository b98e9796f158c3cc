import type { ConditionStatus } from './pipeline-run-states';
import { TaskRunReason } from './reasons';
import type { TaskRunOutcome } from './task-run-plan';
import { TASK_RUN_CONDITION_STATUS, type TaskRunStateName } from './task-run-states';
import type { TektonCondition } from './task-run-status';

/**
 * Tekton's `Succeeded` condition, derived from the state that Keelson stores once: a TaskRun's
 * `state` column, a PipelineRun's `condition_status` (with its `condition_reason`). Writers build the
 * condition of the status JSON with these functions, from the same value they write to the column, and
 * readers put the columns' values back into it (`shownCondition`), so the two never disagree.
 */
export function succeededCondition(
  status: ConditionStatus,
  reason: string,
  message: string,
  at: Date | string,
): TektonCondition {
  const lastTransitionTime = typeof at === 'string' ? at : at.toISOString();
  return { type: 'Succeeded', status, reason, message, lastTransitionTime };
}

/** A TaskRun's condition: its status follows from the state. */
export function taskRunCondition(state: TaskRunStateName, reason: string, message: string, at: Date): TektonCondition {
  return succeededCondition(TASK_RUN_CONDITION_STATUS[state], reason, message, at);
}

/** The state a TaskRun ends in, from what its executor reported. */
export function finishedTaskRunState(outcome: Pick<TaskRunOutcome, 'status' | 'reason'>) {
  if (outcome.status === 'Succeeded') return 'succeeded' as const;
  return outcome.reason === TaskRunReason.Cancelled ? ('cancelled' as const) : ('failed' as const);
}

/** The parts of a Succeeded condition the state columns hold. */
export interface StoredState {
  status: ConditionStatus;
  reason?: string;
}

/**
 * A stored Tekton status as the API shows it: the first condition's status (and reason, when the
 * columns hold it) taken from the state columns, the rest (message, time) as stored. Same key order
 * as stored, so a status written consistently reads back byte for byte.
 */
export function shownCondition<T extends { conditions?: unknown }>(status: T, state: StoredState): T {
  const conditions = status.conditions;
  if (!Array.isArray(conditions) || conditions.length === 0) return status;
  const [first, ...rest] = conditions as Record<string, unknown>[];
  const shown = { ...first, status: state.status, ...(state.reason === undefined ? {} : { reason: state.reason }) };
  return { ...status, conditions: [shown, ...rest] };
}
