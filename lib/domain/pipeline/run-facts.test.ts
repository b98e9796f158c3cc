import { describe, expect, it } from 'vitest';
import { SkippingReason } from './reasons';
import { runFacts, tightest } from './run-facts';
import { base, cancelled, failed, minutes, ok, running, spec } from './scheduler-fixtures';

const retried = spec(`
tasks: [{name: a, taskRef: {name: t}, retries: 2}, {name: b, taskRef: {name: t}}]
finally: [{name: f, taskRef: {name: t}, retries: 1}]
`);

describe('runFacts', () => {
  it.each([
    ['a failure with retries left is retried', {}, 'retrying', 'retrying'],
    ['a graceful cancel closes DAG retries only', { specStatus: 'CancelledRunFinally' as const }, 'failed', 'retrying'],
    ['a graceful stop lets retries run', { specStatus: 'StoppedRunFinally' as const }, 'retrying', 'retrying'],
    ['the tasks timeout closes DAG retries', { timeouts: { tasks: '30s' } }, 'failed', 'retrying'],
  ])('%s', (_label, over, dagPhase, finallyPhase) => {
    const facts = runFacts(base({ spec: retried, taskRuns: [failed('a'), failed('f')], ...over }));
    const [a] = facts.dagTasks;
    const [f] = facts.finallyTasks;
    expect([facts.phase(a), facts.phase(f)]).toEqual([dagPhase, finallyPhase]);
  });

  it.each([
    ['no timeouts: the pipeline has 1h', {}, { pipeline: 3_600_000, tasks: 0, finally: 0 }, false, false],
    [
      'tasks past their timeout',
      { timeouts: { tasks: '30s' } },
      { pipeline: 3_600_000, tasks: 30_000, finally: 0 },
      false,
      true,
    ],
    [
      'pipeline past its timeout',
      { timeouts: { pipeline: '1m', finally: '10s' } },
      { pipeline: 60_000, tasks: 0, finally: 10_000 },
      true,
      false,
    ],
    [
      'a zero pipeline timeout is none',
      { timeouts: { pipeline: '0s' } },
      { pipeline: 0, tasks: 0, finally: 0 },
      false,
      false,
    ],
  ])('%s', (_label, over, budgets, pipelineTimedOut, tasksTimedOut) => {
    const facts = runFacts(base({ now: minutes(1), ...over }));
    expect(facts.budgets).toEqual(budgets);
    expect([facts.pipelineTimedOut, facts.tasksTimedOut]).toEqual([pipelineTimedOut, tasksTimedOut]);
  });

  it.each([
    ['nothing failed', [ok('fetch', { sha: 'x' }), running('lint')], false, false, false],
    ['a task failed', [failed('fetch'), ok('lint')], true, true, true],
    ['a task was cancelled', [cancelled('fetch'), ok('lint')], true, false, true],
  ])('stopping when %s', (_label, taskRuns, stopping, hasFailed, done) => {
    const facts = runFacts(
      base({
        taskRuns,
        skipped: ['test', 'deploy', 'notify'].map((name) => ({ name, reason: SkippingReason.ParentTasks })),
      }),
    );
    expect([facts.isStopping(), facts.hasFailedDagTask(), facts.dagTasksDone()]).toEqual([stopping, hasFailed, done]);
  });

  it('lists skips in spec order, recorded and new', () => {
    const facts = runFacts(base({ skipped: [{ name: 'notify', reason: SkippingReason.ParentTasks }] }));
    facts.skips.set('report', SkippingReason.WhenExpressions);
    facts.skips.set('deploy', SkippingReason.WhenExpressions);
    expect(facts.skippedTasks().map((s) => s.name)).toEqual(['deploy', 'notify', 'report']);
    expect(facts.phase(facts.byName.get('deploy')!)).toBe('skipped');
  });

  it('scopes params, context and the results of tasks that succeeded', () => {
    const facts = runFacts(base({ taskRuns: [ok('fetch', { sha: 'abc' }), failed('lint')] }));
    expect(facts.scopeWithResults()).toMatchObject({
      'params.branch': 'main',
      'context.pipelineRun.name': 'pr',
      'context.pipelineRun.namespace': 'ns',
      'context.pipelineRun.uid': 'u1',
      'context.pipeline.name': 'ci',
      'tasks.fetch.results.sha': 'abc',
    });
  });

  it("gives $(workspaces.<w>.bound) for the pipeline's workspaces when the run's bindings are known", () => {
    const withWorkspaces = spec(`
workspaces: [{name: src}, {name: cache, optional: true}]
tasks: [{name: a, taskRef: {name: t}}]
`);
    const scope = runFacts(base({ spec: withWorkspaces, boundWorkspaces: ['src'] })).scopeWithResults();
    expect(scope['workspaces.src.bound']).toBe('true');
    expect(scope['workspaces.cache.bound']).toBe('false');
    expect(runFacts(base({ spec: withWorkspaces })).scopeWithResults()['workspaces.src.bound']).toBeUndefined();
  });

  it.each([
    [0, 0, undefined],
    [120_000, 0, 60_000],
    [120_000, 30_000, 90_000],
    [30_000, 0, 1],
  ])('a budget of %i ms counted from %i ms, one minute in, leaves %s ms', (budget, from, left) => {
    expect(runFacts(base({ now: minutes(1) })).remainingMs(budget, from)).toBe(left);
  });

  it.each([
    [[undefined, undefined], undefined],
    [[5, undefined], 5],
    [[5, 3], 3],
  ])('tightest of %j is %s', (values, least) => {
    expect(tightest(...values)).toBe(least);
  });
});
