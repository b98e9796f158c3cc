import { stateMachine, type TransitionTable } from '../state-machine';

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
