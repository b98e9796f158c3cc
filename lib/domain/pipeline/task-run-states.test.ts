import { describe, expect, it } from 'vitest';
import { isTaskRunFinished, TASK_RUN_CONDITION_STATUS, TASK_RUN_STATES, TaskRunStates } from './task-run-states';

const allowed = [
  ['pending', 'running'],
  ['pending', 'cancelled'],
  ['running', 'succeeded'],
  ['running', 'failed'],
  ['running', 'cancelled'],
  ['failed', 'pending'],
  ['failed', 'failed'],
] as const;

describe('TaskRun states', () => {
  it('has the five states of task_runs.state', () => {
    expect(TASK_RUN_STATES).toEqual(['pending', 'running', 'succeeded', 'failed', 'cancelled']);
  });

  it.each(allowed)('allows %s → %s', (from, to) => {
    expect(TaskRunStates.canTransition(from, to)).toBe(true);
  });

  it('refuses every other move', () => {
    const refused = TASK_RUN_STATES.flatMap((from) => TASK_RUN_STATES.map((to) => [from, to] as const)).filter(
      ([from, to]) => !allowed.some(([f, t]) => f === from && t === to),
    );
    expect(refused).toContainEqual(['pending', 'succeeded']);
    expect(refused).toContainEqual(['succeeded', 'running']);
    expect(refused).toContainEqual(['cancelled', 'pending']);
    for (const [from, to] of refused) expect(() => TaskRunStates.assertTransition(from, to)).toThrow(from);
  });

  it('has succeeded and cancelled as terminal states; a failed one may be retried', () => {
    expect(TASK_RUN_STATES.filter(TaskRunStates.isTerminal)).toEqual(['succeeded', 'cancelled']);
    expect(TASK_RUN_STATES.filter(isTaskRunFinished)).toEqual(['succeeded', 'failed', 'cancelled']);
  });

  it('gives the compare-and-set guards of the writes', () => {
    expect(TaskRunStates.predecessors('running')).toEqual(['pending']);
    expect(TaskRunStates.predecessors('succeeded')).toEqual(['running']);
    expect(TaskRunStates.predecessors('pending')).toEqual(['failed']);
  });

  it('derives the condition status: Unknown until it ends, True only when it succeeded', () => {
    expect(TASK_RUN_CONDITION_STATUS).toEqual({
      pending: 'Unknown',
      running: 'Unknown',
      succeeded: 'True',
      failed: 'False',
      cancelled: 'False',
    });
  });
});
