import { describe, expect, it } from 'vitest';
import { dagQueue, dagSkipReason, gracefulSkipReason, missingResults } from './dag-queue';
import { emptyDecision } from './decision';
import type { TPipelineTask } from './pipeline-schemas';
import { SkippingReason } from './reasons';
import { runFacts, type DecideInput } from './run-facts';
import { base, cancelled, failed, ok, running } from './scheduler-fixtures';

const task = (facts: ReturnType<typeof runFacts>, name: string) => facts.byName.get(name) as TPipelineTask;

describe('dagSkipReason (parents done)', () => {
  it.each<[string, Partial<DecideInput>, string, SkippingReason | undefined]>([
    ['a failed parent', { taskRuns: [failed('fetch'), ok('lint')] }, 'test', SkippingReason.ParentTasks],
    ['a cancelled parent', { taskRuns: [cancelled('fetch')] }, 'test', SkippingReason.ParentTasks],
    [
      'a parent skipped for another reason than its when',
      { skipped: [{ name: 'test', reason: SkippingReason.MissingResults }], taskRuns: [ok('lint')] },
      'deploy',
      SkippingReason.ParentTasks,
    ],
    [
      'a parent skipped by its own when does not skip it',
      { skipped: [{ name: 'deploy', reason: SkippingReason.WhenExpressions }] },
      'notify',
      undefined,
    ],
    [
      'the tasks timeout has passed',
      { timeouts: { tasks: '10s' }, taskRuns: [ok('fetch', { sha: 'a' })] },
      'test',
      SkippingReason.TasksTimedOut,
    ],
    ['another task failed', { taskRuns: [ok('fetch', { sha: 'a' }), failed('lint')] }, 'test', SkippingReason.Stopping],
    ['a result it reads is missing', { taskRuns: [ok('fetch')] }, 'test', SkippingReason.MissingResults],
    [
      'its when is false',
      { params: [{ name: 'branch', value: 'dev' }], taskRuns: [ok('test'), ok('lint')] },
      'deploy',
      SkippingReason.WhenExpressions,
    ],
    ['nothing stops it', { taskRuns: [ok('fetch', { sha: 'a' })] }, 'test', undefined],
  ])('%s', (_label, over, name, reason) => {
    const facts = runFacts(base(over));
    const t = task(facts, name);
    const parents = [...(t.runAfter ?? []), ...(name === 'test' ? ['fetch'] : [])].map((n) => task(facts, n));
    expect(dagSkipReason(facts, t, parents, facts.scopeWithResults())).toBe(reason);
  });
});

describe('gracefulSkipReason', () => {
  it.each<[string, Partial<DecideInput>, SkippingReason]>([
    ['cancelled', { specStatus: 'CancelledRunFinally' }, SkippingReason.GracefullyCancelled],
    ['stopped', { specStatus: 'StoppedRunFinally' }, SkippingReason.GracefullyStopped],
    [
      'its parent failed on its own',
      { specStatus: 'StoppedRunFinally', taskRuns: [failed('fetch')] },
      SkippingReason.ParentTasks,
    ],
    ['another task failed', { specStatus: 'CancelledRunFinally', taskRuns: [failed('lint')] }, SkippingReason.Stopping],
    [
      'its parent still runs',
      { specStatus: 'StoppedRunFinally', taskRuns: [running('fetch')] },
      SkippingReason.GracefullyStopped,
    ],
  ])('%s', (_label, over, reason) => {
    const facts = runFacts(base(over));
    expect(gracefulSkipReason(facts, [task(facts, 'fetch')])).toBe(reason);
  });
});

describe('missingResults', () => {
  it.each([
    [{}, true],
    [{ 'tasks.fetch.results.sha': 'a' }, false],
  ])('scope %j: %s', (scope, missing) => {
    const facts = runFacts(base({}));
    expect(missingResults(facts, task(facts, 'test'), scope)).toBe(missing);
  });
});

describe('dagQueue', () => {
  it('starts, skips and retries in one pass, parents first', () => {
    const facts = runFacts(base({ taskRuns: [ok('fetch', { sha: 'a' }), failed('lint')] }));
    const decision = emptyDecision();
    const scope = dagQueue(facts, decision);
    expect(decision.start).toEqual([]);
    expect(decision.skip).toEqual(
      ['test', 'deploy', 'notify'].map((name) => ({
        name,
        reason: name === 'test' ? SkippingReason.Stopping : SkippingReason.ParentTasks,
      })),
    );
    expect(scope['tasks.fetch.results.sha']).toBe('a');
  });

  it('gives started tasks what is left of the pipeline and tasks timeouts', () => {
    const decision = emptyDecision();
    dagQueue(runFacts(base({ timeouts: { pipeline: '1h', tasks: '2m' } })), decision);
    expect(decision.start.map((s) => [s.task, s.timeoutMs])).toEqual([
      ['fetch', 60_000],
      ['lint', 60_000],
    ]);
  });
});
