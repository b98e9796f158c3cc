import { InvalidTransitionError, stateMachine, type TransitionTable } from '../state-machine';
import { PipelineRunReason } from './reasons';

/**
 * The status of a Tekton `Succeeded` condition. It is a PipelineRun's state (`pipeline_runs.condition_status`),
 * as in Tekton: Unknown while the run goes on, then True or False for good. The reason beside it
 * (`condition_reason`: Running, PipelineRunStopping, Succeeded, Failed, Cancelled…) says which way it runs
 * or ended; it does not decide the lifecycle: CancelledRunningFinally, for one, is shown while finally
 * tasks run (Unknown) and stays the reason when the run ends (False).
 */
export const CONDITION_STATUSES = ['Unknown', 'True', 'False'] as const;
export type ConditionStatus = (typeof CONDITION_STATUSES)[number];

export const PIPELINE_RUN_STATES = CONDITION_STATUSES;
export type PipelineRunStateName = ConditionStatus;

const transitions: TransitionTable<PipelineRunStateName> = {
  // Each reconcile recomputes the condition: still running (another reason, maybe), or finished.
  Unknown: ['Unknown', 'True', 'False'],
  True: [],
  False: [],
};

export const PipelineRunStates = stateMachine('PipelineRun', PIPELINE_RUN_STATES, transitions);

/** A new PipelineRun: running, Started. */
export const PIPELINE_RUN_INITIAL = { status: 'Unknown', reason: PipelineRunReason.Started } as const satisfies {
  status: PipelineRunStateName;
  reason: PipelineRunReason;
};

/**
 * How the condition follows from the state: the states each reason may show with. A reason outside
 * this table (a validation reason: the run could not start) only ends a run.
 */
export const PIPELINE_RUN_REASON_STATES: {
  readonly [R in (typeof PipelineRunReason)[keyof typeof PipelineRunReason]]: readonly PipelineRunStateName[];
} = {
  [PipelineRunReason.Started]: ['Unknown'],
  [PipelineRunReason.Pending]: ['Unknown'],
  [PipelineRunReason.Queued]: ['Unknown'],
  [PipelineRunReason.Running]: ['Unknown'],
  [PipelineRunReason.Stopping]: ['Unknown'],
  // Shown while finally tasks run, and kept as the reason when the run ends.
  [PipelineRunReason.CancelledRunningFinally]: ['Unknown', 'False'],
  [PipelineRunReason.StoppedRunningFinally]: ['Unknown', 'False'],
  [PipelineRunReason.Successful]: ['True'],
  [PipelineRunReason.Completed]: ['True'],
  [PipelineRunReason.Failed]: ['False'],
  [PipelineRunReason.Cancelled]: ['False'],
  [PipelineRunReason.Timeout]: ['False'],
  [PipelineRunReason.TaskRunTimeout]: ['False'],
  [PipelineRunReason.ReconcileFailed]: ['False'],
};

/** Whether a condition's status and reason go together. */
export function isPipelineRunCondition(status: PipelineRunStateName, reason: PipelineRunReason): boolean {
  const allowed: readonly PipelineRunStateName[] | undefined = (
    PIPELINE_RUN_REASON_STATES as Partial<Record<string, readonly PipelineRunStateName[]>>
  )[reason];
  return (allowed ?? ['False']).includes(status);
}

/**
 * Checks a reconcile's move from the stored state to the condition it computed: the transition table,
 * then the reason table. Throws InvalidTransitionError; the run is locked, so a refusal is a bug, not a race.
 */
export function assertPipelineRunMove(
  from: PipelineRunStateName,
  to: { status: PipelineRunStateName; reason: PipelineRunReason },
): void {
  PipelineRunStates.assertTransition(from, to.status);
  if (!isPipelineRunCondition(to.status, to.reason))
    throw new InvalidTransitionError(PipelineRunStates.name, from, `${to.status} (${to.reason})`);
}
