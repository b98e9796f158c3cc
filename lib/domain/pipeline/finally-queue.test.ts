import { describe, expect, it } from 'vitest';
import { emptyDecision } from './decision';
import { finallyQueue, finallyScope, finallySkipReason, finallyTimer, taskReason } from './finally-queue';
import type { TPipelineTask } from './pipeline-schemas';
import { SkippingReason } from './reasons';
import { runFacts } from './run-facts';
import type { TaskPhase, TaskRunState } from './run-state';
import { base, failed, minutes, ok, running, spec } from './scheduler-fixtures';

const done = [
  ok('fetch', { sha: 'a' }),
  ok('lint'),
  ok('test'),
  failed('deploy', { reason: 'TaskRunTimeout' }),
  ok('notify'),
];

describe('taskReason', () => {
  it.each<[TaskPhase, TaskRunState[], string]>([
    ['skipped', [], 'None'],
    ['pending', [], 'None'],
    ['succeeded', [ok('a')], 'Succeeded'],
    ['failed', [failed('a', { reason: 'TaskRunTimeout' })], 'TaskRunTimeout'],
    ['failed', [failed('a', { reason: undefined })], 'Failed'],
  ])('%s %j: %s', (phase, runs, reason) => {
    expect(taskReason(phase, runs)).toBe(reason);
  });
});

describe('finallyScope', () => {
  it("adds the tasks' aggregate status and each task's status and reason", () => {
    const facts = runFacts(base({ taskRuns: done }));
    expect(finallyScope(facts, { 'params.branch': 'main' })).toMatchObject({
      'params.branch': 'main',
      'tasks.status': 'Failed',
      'tasks.test.status': 'Succeeded',
      'tasks.test.reason': 'Succeeded',
      'tasks.deploy.status': 'Failed',
      'tasks.deploy.reason': 'TaskRunTimeout',
    });
  });
});

describe('finallyTimer', () => {
  it.each([
    ['not started: counts from now', [], { finally: '30s' }, false, 30_000],
    ['started 2 minutes ago, 1m budget', [running('report', { startTime: minutes(1) })], { finally: '1m' }, true, 1],
    [
      'no finally budget: the pipeline budget',
      [running('report', { startTime: minutes(1) })],
      {},
      false,
      3_600_000 - 180_000,
    ],
  ])('%s', (_label, runs, timeouts, timedOut, timeoutMs) => {
    const facts = runFacts(base({ now: minutes(3), taskRuns: [...done, ...runs], timeouts }));
    expect(finallyTimer(facts)).toEqual({ timedOut, timeoutMs });
  });
});

describe('finallySkipReason', () => {
  const withWhen = spec(`
tasks: [{name: a, taskRef: {name: t}}]
finally:
  - {name: f, taskRef: {name: t}, when: [{input: $(tasks.a.status), operator: in, values: [Failed]}]}
  - {name: g, taskRef: {name: t}, params: [{name: p, value: $(tasks.a.results.r)}]}
`);
  it.each<[string, string, boolean, SkippingReason | undefined]>([
    ['the finally timeout has passed', 'f', true, SkippingReason.FinallyTimedOut],
    ['its when is false', 'f', false, SkippingReason.WhenExpressions],
    ['a result it reads is missing', 'g', false, SkippingReason.MissingResults],
  ])('%s', (_label, name, timedOut, reason) => {
    const facts = runFacts(base({ spec: withWhen, taskRuns: [ok('a')] }));
    const scope = finallyScope(facts, facts.scopeWithResults());
    expect(finallySkipReason(facts, facts.byName.get(name) as TPipelineTask, scope, timedOut)).toBe(reason);
  });
});

describe('finallyQueue', () => {
  it('starts finally tasks with the status variables in scope', () => {
    const decision = emptyDecision();
    const facts = runFacts(base({ taskRuns: done }));
    expect(finallyQueue(facts, decision, facts.scopeWithResults())).toEqual({ timedOut: false });
    expect(decision.start.map((s) => [s.task, s.finally, s.params.summary])).toEqual([
      ['report', true, 'Failed test=Succeeded deploy=Failed'],
    ]);
  });

  it('cancels running finally TaskRuns once the finally timeout has passed', () => {
    const decision = emptyDecision();
    const taskRuns = [...done, running('report', { startTime: minutes(1) })];
    const facts = runFacts(base({ now: minutes(3), taskRuns, timeouts: { finally: '1m' } }));
    expect(finallyQueue(facts, decision, facts.scopeWithResults())).toEqual({ timedOut: true });
    expect(decision.cancelRunning.map((c) => c.task)).toEqual(['report']);
  });
});
