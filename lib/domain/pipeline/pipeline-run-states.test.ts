import { describe, expect, it } from 'vitest';
import {
  assertPipelineRunMove,
  isPipelineRunCondition,
  PIPELINE_RUN_INITIAL,
  PIPELINE_RUN_REASON_STATES,
  PIPELINE_RUN_STATES,
  PipelineRunStates,
} from './pipeline-run-states';

describe('PipelineRun states (the Succeeded condition status)', () => {
  it.each([
    ['Unknown', 'Unknown'],
    ['Unknown', 'True'],
    ['Unknown', 'False'],
  ] as const)('allows %s → %s', (from, to) => {
    expect(PipelineRunStates.canTransition(from, to)).toBe(true);
  });

  it.each([
    ['True', 'Unknown'],
    ['False', 'Unknown'],
    ['True', 'False'],
    ['False', 'True'],
    ['True', 'True'],
  ] as const)('refuses %s → %s: a finished run stays finished', (from, to) => {
    expect(() => PipelineRunStates.assertTransition(from, to)).toThrow('PipelineRun');
  });

  it('ends in True or False, reached only from Unknown', () => {
    expect(PIPELINE_RUN_STATES.filter(PipelineRunStates.isTerminal)).toEqual(['True', 'False']);
    expect(PipelineRunStates.predecessors('False')).toEqual(['Unknown']);
  });

  it('pairs each reason with the statuses it shows with', () => {
    const by = (status: string) =>
      Object.entries(PIPELINE_RUN_REASON_STATES)
        .filter(([, states]) => states.some((s) => s === status))
        .map(([reason]) => reason)
        .sort();
    expect(by('Unknown')).toEqual([
      'CancelledRunningFinally',
      'PipelineRunPending',
      'PipelineRunStopping',
      'Queued',
      'Running',
      'Started',
      'StoppedRunningFinally',
    ]);
    expect(by('True')).toEqual(['Completed', 'Succeeded']);
    expect(by('False')).toEqual([
      'Cancelled',
      'CancelledRunningFinally',
      'Failed',
      'PipelineRunTimeout',
      'ReconcileFailed',
      'StoppedRunningFinally',
      'TaskRunTimeout',
    ]);
    expect(isPipelineRunCondition('False', 'PipelineValidationFailed')).toBe(true);
    expect(isPipelineRunCondition('Unknown', 'CouldntGetTask')).toBe(false);
  });

  it('starts a run Unknown, Started', () => {
    expect(PIPELINE_RUN_INITIAL).toEqual({ status: 'Unknown', reason: 'Started' });
    expect(isPipelineRunCondition(PIPELINE_RUN_INITIAL.status, PIPELINE_RUN_INITIAL.reason)).toBe(true);
  });

  it('checks a reconcile move against both tables', () => {
    expect(() =>
      assertPipelineRunMove('Unknown', { status: 'False', reason: 'CancelledRunningFinally' }),
    ).not.toThrow();
    expect(() => assertPipelineRunMove('Unknown', { status: 'Unknown', reason: 'Running' })).not.toThrow();
    expect(() => assertPipelineRunMove('Unknown', { status: 'True', reason: 'Failed' })).toThrow(
      'Unknown to True (Failed)',
    );
    expect(() => assertPipelineRunMove('Unknown', { status: 'Unknown', reason: 'Succeeded' })).toThrow();
    expect(() => assertPipelineRunMove('False', { status: 'False', reason: 'Failed' })).toThrow('False to False');
  });
});
