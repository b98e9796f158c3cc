import { stateMachine, type TransitionTable } from '../state-machine';

/** `app_operations.phase` (Argo CD's OperationPhase). The one list. */
export const OPERATION_PHASES = ['Running', 'Terminating', 'Succeeded', 'Failed', 'Error'] as const;
export type OperationPhase = (typeof OPERATION_PHASES)[number];

/** The phase a new operation is created in. */
export const OPERATION_INITIAL_PHASE = 'Running' satisfies OperationPhase;

const transitions: TransitionTable<OperationPhase> = {
  // The controller reports progress (Running again), sees a terminate request, or ends the operation:
  // Error when it could not start (cluster unreachable, manifests not rendered).
  Running: ['Running', 'Terminating', 'Succeeded', 'Failed', 'Error'],
  // A terminated sync ends Failed; a controller that takes the operation over may still fail to start it.
  Terminating: ['Terminating', 'Failed', 'Error'],
  Succeeded: [],
  Failed: [],
  Error: [],
};

export const OperationPhases = stateMachine('OperationPhase', OPERATION_PHASES, transitions);
