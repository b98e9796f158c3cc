import { describe, expect, it } from 'vitest';
import { finishedTaskRunState, shownCondition, succeededCondition, taskRunCondition } from './succeeded-condition';

const at = new Date('2026-01-02T03:04:05.000Z');

describe('Succeeded condition', () => {
  it('is built in Tekton field order', () => {
    expect(JSON.stringify(succeededCondition('Unknown', 'Running', 'Running', at))).toBe(
      '{"type":"Succeeded","status":"Unknown","reason":"Running","message":"Running","lastTransitionTime":"2026-01-02T03:04:05.000Z"}',
    );
  });

  it.each([
    ['pending', 'Unknown'],
    ['running', 'Unknown'],
    ['succeeded', 'True'],
    ['failed', 'False'],
    ['cancelled', 'False'],
  ] as const)('takes a %s TaskRun as %s', (state, status) => {
    expect(taskRunCondition(state, 'R', 'M', at)).toMatchObject({ status, reason: 'R', message: 'M' });
  });

  it('gives the state a TaskRun ends in from its outcome', () => {
    expect(finishedTaskRunState({ status: 'Succeeded', reason: 'Succeeded' })).toBe('succeeded');
    expect(finishedTaskRunState({ status: 'Failed', reason: 'TaskRunCancelled' })).toBe('cancelled');
    expect(finishedTaskRunState({ status: 'Failed', reason: 'TaskRunTimeout' })).toBe('failed');
    expect(finishedTaskRunState({ status: 'Failed', reason: 'Failed' })).toBe('failed');
  });

  it('shows the status (and reason) of the columns over the stored ones, keeping the rest and its order', () => {
    const stored = {
      conditions: [succeededCondition('Unknown', 'Running', 'Tasks Completed: 1', at)],
      startTime: 'x',
    };
    const shown = shownCondition(stored, { status: 'False', reason: 'Failed' });
    expect(JSON.stringify(shown)).toBe(
      '{"conditions":[{"type":"Succeeded","status":"False","reason":"Failed","message":"Tasks Completed: 1","lastTransitionTime":"2026-01-02T03:04:05.000Z"}],"startTime":"x"}',
    );
    expect(shownCondition(stored, { status: 'Unknown' }).conditions[0].reason).toBe('Running');
    expect(JSON.stringify(shownCondition(stored, { status: 'Unknown', reason: 'Running' }))).toBe(
      JSON.stringify(stored),
    );
    expect(shownCondition({ conditions: [] }, { status: 'True' })).toEqual({ conditions: [] });
    expect(shownCondition({}, { status: 'True' })).toEqual({});
  });
});
