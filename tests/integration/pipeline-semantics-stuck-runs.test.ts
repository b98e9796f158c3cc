import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { taskRuns, type TaskRunRow } from '../../lib/adapters/db/schema';
import { runOf } from './pipeline-concurrency-support';
import {
  apply,
  children,
  getRun,
  pipelineRun,
  runTaskRun,
  start,
  useHarness,
  waitForRun,
} from './pipeline-semantics-support';

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

describe('a child PipelineRun whose reconcile throws a permanent error', () => {
  it('ends Failed, and its parent is woken and ends Failed too', async () => {
    const oneMiB = 'b'.repeat(1024 * 1024);
    const run = await start(
      h,
      pipelineRun(
        'stuck-parent',
        {
          params: [{ name: 'big' }],
          tasks: [
            {
              name: 'inner',
              params: [{ name: 'big', value: big }],
              pipelineSpec: {
                params: [{ name: 'big' }],
                tasks: [
                  {
                    name: 'gated',
                    when: [{ input: big.repeat(9), operator: 'in', values: ['x'] }],
                    taskSpec: sleep(0),
                  },
                ],
              },
            },
          ],
        },
        { params: [{ name: 'big', value: oneMiB }] },
      ),
    );
    const t0 = Date.now();
    const done = await waitForRun(h, run.id, 15_000);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(done.conditionStatus).toBe('False');
    const [kid] = await h.ed.stores.runs.childrenOf(run.id);
    expect(kid).toMatchObject({ parentTask: 'inner', conditionStatus: 'False', conditionReason: 'ReconcileFailed' });
    expect(kid.completedAt).not.toBeNull();
    expect(done.conditionReason).toBe('Failed');
    expect(done.status.conditions[0].message).toBe('Tasks Completed: 1 (Failed: 1, Cancelled 0), Skipped: 0');
  }, 40_000);
});

const standaloneTaskRun = (name: string) => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'TaskRun',
  metadata: { name },
  spec: { taskSpec: { steps: [{ name: 's', image: 'alpine', script: 'echo standalone' }] } },
});

describe('a TaskRun name taken before the PipelineRun existed', () => {
  it('by standalone TaskRuns named <run>-<task> and <run>-<task>-<i>: the tasks run under suffixed names and the run succeeds', async () => {
    // Run names are unique across projects: anyone could create "<run>-<task>" ahead of the run.
    expect((await runTaskRun(h, standaloneTaskRun('held-build'))).row.state).toBe('succeeded');
    expect((await runTaskRun(h, standaloneTaskRun('held-fan-1'))).row.state).toBe('succeeded');
    const echo = {
      steps: [{ name: 's', image: 'alpine', script: 'echo -n "$(context.taskRun.name)" > $(results.me.path)' }],
    };
    const run = await start(
      h,
      pipelineRun('held', {
        tasks: [
          // Fails its first attempt: the retry finds its row by the name it got, not by `<run>-<task>`.
          {
            name: 'build',
            retries: 1,
            taskSpec: {
              results: [{ name: 'me' }],
              steps: [{ ...echo.steps[0], script: `${echo.steps[0].script}\ntest $(context.task.retry-count) = 1` }],
            },
          },
          {
            name: 'fan',
            runAfter: ['build'],
            matrix: { params: [{ name: 'n', value: ['a', 'b'] }] },
            taskSpec: { params: [{ name: 'n' }], results: [{ name: 'me' }], ...echo },
          },
        ],
      }),
    );
    const done = await waitForRun(h, run.id, 20_000);
    expect(done.status.conditions[0].message).not.toContain('already taken');
    expect(done.conditionReason).toBe('Succeeded');
    const rows = await children(h, run.id);
    const byTask = rows.map((r) => [r.pipelineTask, r.matrixIndex, r.name, r.state]).sort();
    expect(byTask).toEqual([
      ['build', null, expect.stringMatching(/^held-build-[a-z0-9]{5}$/), 'succeeded'],
      ['fan', 0, 'held-fan-0', 'succeeded'],
      ['fan', 1, expect.stringMatching(/^held-fan-1-[a-z0-9]{5}$/), 'succeeded'],
    ]);
    expect(rows.find((r) => r.pipelineTask === 'build')).toMatchObject({ attempt: 1 });
    expect(rows.find((r) => r.pipelineTask === 'build')?.status.retriesStatus).toHaveLength(1);
    // Each TaskRun knows its own name, and the run's status lists the names it really has.
    for (const r of rows) expect(r.status.results?.find((x) => x.name === 'me')?.value).toBe(r.name);
    expect(done.status.childReferences?.map((c) => c.name).sort()).toEqual(rows.map((r) => r.name).sort());
    // The standalone TaskRuns are left as they were.
    for (const name of ['held-build', 'held-fan-1'])
      expect(await h.ed.stores.taskRuns.findByName(name)).toMatchObject({ state: 'succeeded', pipelineRunId: null });
  }, 40_000);
});

describe('a TaskRun whose execution throws a permanent error', () => {
  it('ends Failed at once with the message, not when its lease expires', async () => {
    const { runs } = await apply(h, standaloneTaskRun('broken-plan'));
    // A stored plan that no longer parses (written by an older version, say): it fails the same way at every try.
    await h.t.handle.db
      .update(taskRuns)
      // The column is typed as a valid plan; this row deliberately is not one.
      .set({ plan: JSON.parse('{"steps": "not a list"}') as TaskRunRow['plan'] })
      .where(eq(taskRuns.id, runs[0].id));
    await h.engine.execute(runs[0].id);
    const row = await h.ed.stores.taskRuns.findByName('broken-plan');
    expect(row).toMatchObject({ state: 'failed', leaseOwner: null });
    const condition = (row?.status as { conditions: { status: string; reason: string; message: string }[] })
      .conditions[0];
    expect(condition).toMatchObject({ status: 'False', reason: 'Failed' });
    expect(condition.message).toMatch(/^The TaskRun could not be run: /);
  });
});
