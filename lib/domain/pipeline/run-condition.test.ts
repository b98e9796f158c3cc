import { describe, expect, it } from 'vitest';
import { PipelineRunReason, SkippingReason } from './reasons';
import { runFacts, type DecideInput } from './run-facts';
import {
  finalCondition,
  pendingCondition,
  pipelineTimeoutCondition,
  progressMessage,
  runningCondition,
  runTimedOut,
} from './run-condition';
import { base, cancelled, failed, minutes, ok, running } from './scheduler-fixtures';

describe('progressMessage', () => {
  it('counts as Tekton does', () => {
    expect(
      progressMessage(['succeeded', 'failed', 'ignored', 'cancelled', 'pending', 'running', 'retrying', 'skipped']),
    ).toBe('Tasks Completed: 4 (Failed: 2, Cancelled 1), Incomplete: 3, Skipped: 1');
  });
});

describe('runningCondition', () => {
  it.each<[string, Partial<DecideInput>, boolean, PipelineRunReason]>([
    ['running', {}, false, PipelineRunReason.Running],
    ['stopping', {}, true, PipelineRunReason.Stopping],
    ['gracefully cancelled', { specStatus: 'CancelledRunFinally' }, true, PipelineRunReason.CancelledRunningFinally],
    ['gracefully stopped', { specStatus: 'StoppedRunFinally' }, true, PipelineRunReason.StoppedRunningFinally],
  ])('%s', (_label, over, stopping, reason) => {
    const facts = runFacts(base({ taskRuns: [ok('fetch', { sha: 'a' }), running('lint')], ...over }));
    expect(runningCondition(facts, stopping)).toEqual({
      status: 'Unknown',
      reason,
      message: 'Tasks Completed: 1 (Failed: 0, Cancelled 0), Incomplete: 5, Skipped: 0',
    });
  });
});

describe('fixed conditions', () => {
  it('pending', () => {
    expect(pendingCondition()).toEqual({
      status: 'Unknown',
      reason: 'PipelineRunPending',
      message: 'PipelineRun is pending',
    });
  });

  it('pipeline timeout names the run and its timeout', () => {
    const facts = runFacts(base({ timeouts: { pipeline: '90s' }, now: minutes(2) }));
    expect(pipelineTimeoutCondition(facts)).toEqual({
      status: 'False',
      reason: 'PipelineRunTimeout',
      message: 'PipelineRun "pr" failed to finish within "1m30s"',
    });
  });
});

describe('runTimedOut', () => {
  it.each<[string, Partial<DecideInput>, boolean, boolean]>([
    ['nothing timed out', {}, false, false],
    ['the finally timeout passed', {}, true, true],
    [
      'a task was skipped by the tasks timeout',
      { skipped: [{ name: 'notify', reason: SkippingReason.TasksTimedOut }] },
      false,
      true,
    ],
    ['the tasks timeout cancelled a task', { timeouts: { tasks: '10s' }, taskRuns: [cancelled('fetch')] }, false, true],
    [
      'under a graceful cancel, cancelled tasks are the cancel’s',
      { timeouts: { tasks: '10s' }, specStatus: 'CancelledRunFinally', taskRuns: [cancelled('fetch')] },
      false,
      false,
    ],
  ])('%s', (_label, over, finallyTimedOut, timedOut) => {
    expect(runTimedOut(runFacts(base(over)), finallyTimedOut)).toBe(timedOut);
  });
});

describe('finalCondition', () => {
  it.each<[string, Partial<DecideInput>, PipelineRunReason]>([
    ['a failure', { taskRuns: [failed('fetch')] }, PipelineRunReason.Failed],
    [
      'only TaskRun timeouts',
      { taskRuns: [failed('fetch', { reason: 'TaskRunTimeout' })] },
      PipelineRunReason.TaskRunTimeout,
    ],
    ['cancelled', { specStatus: 'Cancelled', taskRuns: [running('fetch')] }, PipelineRunReason.Cancelled],
  ])('%s', (_label, over, reason) => {
    expect(finalCondition(runFacts(base(over)), false).reason).toBe(reason);
  });
});
