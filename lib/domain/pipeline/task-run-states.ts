import { stateMachine, type TransitionTable } from '../state-machine';
import type { ConditionStatus } from './pipeline-run-states';

/** `task_runs.state`: where a TaskRun's latest attempt stands. The one list of these states. */
export const TASK_RUN_STATES = ['pending', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type TaskRunStateName = (typeof TASK_RUN_STATES)[number];

/** A new row starts pending, or already running (claimed as it is created), or failed (it could not be planned). */
export const TASK_RUN_INITIAL_STATES = ['pending', 'running', 'failed'] as const satisfies readonly TaskRunStateName[];

const transitions: TransitionTable<TaskRunStateName> = {
  // A worker claims it, or the PipelineRun cancels it before any worker did.
  pending: ['running', 'cancelled'],
  // The worker records the outcome (a cancel it was asked for, or a lease reaped as failed).
  running: ['succeeded', 'failed', 'cancelled'],
  // A retry reuses the row: the next attempt waits for a worker, or fails at once when it cannot be planned.
  failed: ['pending', 'failed'],
  succeeded: [],
  cancelled: [],
};

export const TaskRunStates = stateMachine('TaskRun', TASK_RUN_STATES, transitions);

/** A retry reuses the row of a failed attempt: the guard of its write. */
export const TASK_RUN_RETRY_FROM = TaskRunStates.predecessors('pending');

/** Whether the TaskRun has ended (for now: a failed one may still be retried by its PipelineRun). */
export function isTaskRunFinished(state: TaskRunStateName): boolean {
  return state !== 'pending' && state !== 'running';
}

/** The status of a TaskRun's Succeeded condition, which follows from its state (the column is the source). */
export const TASK_RUN_CONDITION_STATUS: { readonly [S in TaskRunStateName]: ConditionStatus } = {
  pending: 'Unknown',
  running: 'Unknown',
  succeeded: 'True',
  failed: 'False',
  cancelled: 'False',
};
