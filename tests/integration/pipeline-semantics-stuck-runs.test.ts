import { describe, expect, it } from 'vitest';
import { runOf } from './pipeline-concurrency-support';
import { apply, children, getRun, start, useHarness, waitForRun } from './pipeline-semantics-support';

/**
 * A reconcile that throws an error that would recur at every try (here SubstitutionTooLong, from a `when` input over
 * the 8 MiB cap) ends the run Failed with the error's message, instead of failing again at every tick until someone
 * cancels the run (which held its concurrency slot meanwhile).
 */
const h = useHarness();

const sleep = (seconds: number) => ({ steps: [{ name: 's', image: 'alpine', script: `sleep ${seconds}` }] });
const big = '$(params.big)';

describe('a run whose reconcile throws a permanent error', () => {
  it('ends Failed with the message, its running TaskRuns cancelled, and the next run of its group is admitted', async () => {
    await apply(h, {
      apiVersion: 'tekton.dev/v1',
      kind: 'Pipeline',
      metadata: { name: 'stuck', annotations: { 'keelson.dev/concurrency': '1' } },
      spec: {
        params: [{ name: 'big', default: 'x' }, { name: 'branch' }],
        tasks: [
          { name: 'first', taskSpec: sleep(0.5) },
          { name: 'slow', taskSpec: sleep(20) },
          {
            name: 'gated',
            runAfter: ['first'],
            when: [{ input: big.repeat(9), operator: 'in', values: ['x'] }],
            taskSpec: sleep(0),
          },
        ],
      },
    });
    const oneMiB = 'a'.repeat(1024 * 1024);
    const a = await start(
      h,
      runOf('stuck', 'stuck-a', 'main', {
        params: [
          { name: 'branch', value: 'main' },
          { name: 'big', value: oneMiB },
        ],
      }),
    );
    const b = await start(h, runOf('stuck', 'stuck-b'));
    expect((await getRun(h, b.id)).conditionReason).toBe('Queued');

    const t0 = Date.now();
    const done = await waitForRun(h, a.id, 15_000);
    expect(done.completedAt).not.toBeNull();
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(done.conditionStatus).toBe('False');
    expect(done.conditionReason).toBe('ReconcileFailed');
    const condition = done.status.conditions[0];
    expect(condition).toMatchObject({ type: 'Succeeded', status: 'False', reason: 'ReconcileFailed' });
    expect(condition.message).toMatch(/^The PipelineRun could not be reconciled: .* at most 8388608 are allowed$/);
    expect(condition.message.length).toBeLessThan(5000);

    // The task still running when the run ended is stopped; the one that never started is not created.
    const deadline = Date.now() + 10_000;
    let rows = await children(h, a.id);
    while (rows.some((r) => r.state === 'running' || r.state === 'pending') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      rows = await children(h, a.id);
    }
    const state = Object.fromEntries(rows.map((r) => [r.pipelineTask, r.state]));
    expect(state).toEqual({ first: 'succeeded', slow: 'cancelled' });

    // Its slot was freed when it ended: the queued run of the same group is admitted and starts its tasks.
    const admitted = Date.now() + 10_000;
    while ((await children(h, b.id)).length < 2 && Date.now() < admitted) {
      await h.engine.tick();
      await new Promise((r) => setTimeout(r, 200));
    }
    const next = await getRun(h, b.id);
    expect(next.startedAt).not.toBeNull();
    expect(next.conditionStatus).toBe('Unknown');
    expect(next.conditionReason).not.toBe('Queued');
    expect((await children(h, b.id)).map((r) => r.pipelineTask).sort()).toEqual(['first', 'slow']);
  }, 60_000);
});
