/**
 * Step results, step `when` and per-step timeouts under the Kubernetes executor, with the local executor's outcomes:
 * a later step reads an earlier step's result, a task result comes from a step result, a step whose `when` does
 * not hold is skipped (the TaskRun goes on), and a step over its own timeout fails the TaskRun.
 */
import { describe, expect } from 'vitest';
import { clusterTest as test } from './cluster';
import { realNodePlan, record, step, target, testExecutor } from './executor-kubernetes-support';
import { realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();

describe.skipIf(!realNode)('Kubernetes executor: step results, when, step timeout', () => {
  test('step results flow to later steps and task results; a false `when` skips a step', async ({ namespace }) => {
    const { executor } = testExecutor(realNode!);
    const plan = realNodePlan({
      resultNames: ['digest'],
      resultsFromSteps: [{ name: 'digest', value: '$(steps.make.results.sha)' }],
      steps: [
        step('make', {
          image: 'busybox',
          results: [{ name: 'sha', type: 'string' }],
          script: 'printf sha256:abc > /tekton/steps/step-make/results/sha',
        }),
        step('use', { image: 'busybox', script: 'echo "got $(steps.make.results.sha)"' }),
        step('guarded', {
          image: 'busybox',
          when: [{ input: '$(steps.make.results.sha)', operator: 'in', values: ['sha256:other'] }],
          script: 'echo should not run',
        }),
        step('last', { image: 'busybox', script: 'echo last' }),
      ],
    });
    const r = record();
    const outcome = await executor.run(plan, '/x', r.hooks, target(namespace));
    expect(outcome.status, JSON.stringify(outcome)).toBe('Succeeded');
    expect(outcome.results).toEqual({ digest: 'sha256:abc' });
    expect(outcome.steps.map((s) => [s.name, s.reason])).toEqual([
      ['make', 'Completed'],
      ['use', 'Completed'],
      ['guarded', 'Skipped'],
      ['last', 'Completed'],
    ]);
    expect(outcome.steps[0].results).toEqual({ sha: 'sha256:abc' });
    expect(r.text('use')).toEqual(['got sha256:abc']);
    expect(r.text('guarded')).toEqual([]);
    expect(r.started.map((s) => s.step)).toEqual(['make', 'use', 'last']);
    expect(r.finished.map((s) => s.name)).toEqual(['make', 'use', 'guarded', 'last']);
  });

  test("a step over its own timeout fails the TaskRun with the local executor's words", async ({ namespace }) => {
    const { executor } = testExecutor(realNode!);
    const plan = realNodePlan({
      steps: [
        step('slow', { image: 'busybox', timeoutMs: 1_000, script: 'echo begin\nsleep 30' }),
        step('after', { image: 'busybox', script: 'echo after' }),
      ],
    });
    const r = record();
    const began = Date.now();
    const outcome = await executor.run(plan, '/x', r.hooks, target(namespace));
    expect(Date.now() - began).toBeLessThan(25_000);
    expect(outcome).toMatchObject({
      status: 'Failed',
      reason: 'TaskRunTimeout',
      message: 'step "slow" timed out after 1s',
    });
    expect(outcome.steps.map((s) => [s.name, s.reason])).toEqual([
      ['slow', 'TimedOut'],
      ['after', 'Skipped'],
    ]);
    // Then Tekton's entrypoint says why it stopped the step, as under Tekton.
    expect(r.text('slow')).toEqual(['begin', expect.stringMatching(/context deadline exceeded$/)]);
    expect(r.text('after')).toEqual([]);
  });
});
