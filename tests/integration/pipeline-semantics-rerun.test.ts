import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog } from '../../lib/adapters/db/schema';
import { cancelPipelineRun } from '../../lib/server/pipeline/cancel-pipeline-run';
import { getPipelineRun } from '../../lib/server/pipeline/get-pipeline-run';
import { rerunPipelineRun } from '../../lib/server/pipeline/rerun-pipeline-run';
import {
  apply,
  children,
  getRun,
  logLines,
  pipelineRun,
  rejection,
  result,
  start,
  useHarness,
  waitForRun,
  waitForTask,
} from './pipeline-semantics-support';
import { readonly } from './support/principals';

const h = useHarness();

const FIRST = 'rerun-first';

/**
 * a → b → c, d beside them, finally report. a's result is unique to the run that made it (its name and the
 * clock); b fails only in the first run, echoes a's result and passes it on; report prints what it saw.
 */
const fourTasks = pipelineRun(FIRST, {
  results: [{ name: 'a-out', value: '$(tasks.a.results.out)' }],
  tasks: [
    {
      name: 'a',
      taskSpec: {
        results: [{ name: 'out' }],
        steps: [
          {
            name: 's',
            image: 'alpine',
            script:
              'echo "a ran"\nprintf "made-by-$(context.pipelineRun.name)-%s" "$(date +%s%N)" > $(results.out.path)',
          },
        ],
      },
    },
    {
      name: 'b',
      params: [{ name: 'from-a', value: '$(tasks.a.results.out)' }],
      taskSpec: {
        params: [{ name: 'from-a' }],
        results: [{ name: 'seen' }],
        steps: [
          {
            name: 's',
            image: 'alpine',
            env: [{ name: 'FROM_A', value: '$(params.from-a)' }],
            script: `echo "b saw $FROM_A"\nprintf "%s" "$FROM_A" > $(results.seen.path)\n[ "$(context.pipelineRun.name)" != "${FIRST}" ]`,
          },
        ],
      },
    },
    {
      name: 'c',
      runAfter: ['b'],
      taskSpec: { steps: [{ name: 's', image: 'alpine', script: 'echo "c ran"' }] },
    },
    {
      name: 'd',
      taskSpec: {
        results: [{ name: 'n' }],
        steps: [{ name: 's', image: 'alpine', script: 'echo "d ran"\nprintf 4 > $(results.n.path)' }],
      },
    },
  ],
  finally: [
    {
      name: 'report',
      params: [{ name: 'seen', value: 'a=$(tasks.a.status) b=$(tasks.b.status) d=$(tasks.d.status)' }],
      taskSpec: {
        params: [{ name: 'seen' }],
        steps: [{ name: 's', image: 'alpine', script: 'echo "report $(params.seen)"' }],
      },
    },
  ],
});

const byTask = async (runId: string) => Object.fromEntries((await children(h, runId)).map((c) => [c.pipelineTask!, c]));

describe('rerun from failed', () => {
  let first: { id: string; name: string };
  let second: { id: string; name: string };

  it('the first run fails in b; c is skipped after it; a, d and finally ran', async () => {
    first = await start(h, fourTasks);
    const done = await waitForRun(h, first.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'False', reason: 'Failed' });
    expect(done.status.skippedTasks?.map((s) => s.name)).toEqual(['c']);
    const tasks = await byTask(first.id);
    expect(Object.keys(tasks).sort()).toEqual(['a', 'b', 'd', 'report']);
    expect(tasks.b.state).toBe('failed');
  });

  it('reruns only b and c (and finally): a and d are reused, and a’s result reaches b without a running again', async () => {
    second = await rerunPipelineRun(h.control(), h.me, FIRST, { fromFailed: true });
    await h.engine.advance(second.id);
    const done = await waitForRun(h, second.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    expect(done.status.conditions[0].message).toBe('Tasks Completed: 5 (Failed: 0, Cancelled 0), Skipped: 0');

    // No new TaskRun for a or d: only b, c and the finally task ran in the new run.
    const tasks = await byTask(second.id);
    expect(Object.keys(tasks).sort()).toEqual(['b', 'c', 'report']);
    expect((await children(h, first.id)).filter((c) => c.pipelineTask === 'a')).toHaveLength(1);

    // a's value is the one the first run made (it names that run), received by b and published by the pipeline.
    const firstA = (await byTask(first.id)).a;
    const aValue = result(firstA.status, 'out') as string;
    expect(aValue).toMatch(new RegExp(`^made-by-${FIRST}-\\d+$`));
    expect(result(tasks.b.status, 'seen')).toBe(aValue);
    expect(await logLines(h, tasks.b.id)).toContain(`b saw ${aValue}`);
    expect(done.status.results).toEqual([{ name: 'a-out', value: aValue }]);
    expect(await logLines(h, tasks.report.id)).toContain('report a=Succeeded b=Succeeded d=Succeeded');

    // The new run says where it came from and which tasks it reused, with reason Reused.
    const shown = await getPipelineRun(h.control(), h.me, second.name);
    expect(shown.metadata.annotations).toMatchObject({
      'keelson.dev/rerun-of': FIRST,
      'keelson.dev/from-failed': 'true',
    });
    expect(shown.status).toMatchObject({
      rerunOf: FIRST,
      fromFailed: true,
      reusedTasks: [
        { pipelineTaskName: 'a', taskRunName: `${FIRST}-a`, pipelineRun: FIRST, reason: 'Reused' },
        { pipelineTaskName: 'd', taskRunName: `${FIRST}-d`, pipelineRun: FIRST, reason: 'Reused' },
      ],
    });
    const reusedA = shown.taskRuns.find((t) => t.metadata.name === `${FIRST}-a`);
    expect(reusedA?.metadata.labels).toMatchObject({
      'keelson.dev/reused-from': FIRST,
      'tekton.dev/pipelineTask': 'a',
    });
    expect(reusedA?.status.conditions[0]).toMatchObject({
      status: 'True',
      reason: 'Reused',
      message: `reused from ${FIRST}`,
    });
    expect(reusedA?.status.results).toEqual([{ name: 'out', type: 'string', value: aValue }]);
    expect(reusedA?.spec.steps).toEqual([{ name: 's', image: 'alpine' }]);

    const [row] = await h.t.handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'pipelinerun.rerun'), eq(auditLog.target, `pipelinerun/${second.name}`)));
    expect(row.details).toEqual({ from: FIRST, fromFailed: true });
  });

  it('refuses a rerun from failed of a run that succeeded (409), and a readonly user (403)', async () => {
    const refused = await rejection(rerunPipelineRun(h.control(), h.me, second.name, { fromFailed: true }));
    expect(refused.status).toBe(409);
    expect(refused.message).toContain('nothing failed; use rerun without --from-failed');
    const denied = await rejection(rerunPipelineRun(h.control(), readonly(), FIRST, { fromFailed: true }));
    expect(denied.status).toBe(403);
    // Nothing was started by either.
    const runs = await h.t.handle.db.select().from(auditLog).where(eq(auditLog.action, 'pipelinerun.rerun'));
    expect(runs).toHaveLength(1);
  });

  it('a rerun from failed of a rerun reuses again, naming the run that ran the task', async () => {
    const always = pipelineRun('rerun-always', {
      tasks: [
        { name: 'x', taskSpec: { steps: [{ name: 's', image: 'alpine', script: 'echo x ran' }] } },
        { name: 'y', runAfter: ['x'], taskSpec: { steps: [{ name: 's', image: 'alpine', script: 'exit 3' }] } },
      ],
    });
    const one = await start(h, always);
    await waitForRun(h, one.id);
    const two = await rerunPipelineRun(h.control(), h.me, one.name, { fromFailed: true });
    await h.engine.advance(two.id);
    expect((await waitForRun(h, two.id)).status.conditions[0]).toMatchObject({ status: 'False', reason: 'Failed' });
    const three = await rerunPipelineRun(h.control(), h.me, two.name, { fromFailed: true });
    await h.engine.advance(three.id);
    await waitForRun(h, three.id);
    expect(Object.keys(await byTask(three.id))).toEqual(['y']);
    const shown = await getPipelineRun(h.control(), h.me, three.name);
    expect(shown.status).toMatchObject({
      rerunOf: two.name,
      reusedTasks: [{ pipelineTaskName: 'x', taskRunName: `${one.name}-x`, pipelineRun: one.name }],
    });
  });

  it('a plain rerun runs every task again', async () => {
    const plain = await rerunPipelineRun(h.control(), h.me, FIRST);
    await h.engine.advance(plain.id);
    await waitForRun(h, plain.id);
    expect(Object.keys(await byTask(plain.id)).sort()).toEqual(['a', 'b', 'c', 'd', 'report']);
  });

  it('runs the earlier run’s frozen specs, not the Pipeline’s newest version (a plain rerun takes the newest)', async () => {
    const pipeline = (version: string, exit: number) => `
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: frozen-p}
spec:
  tasks:
    - {name: ok, taskSpec: {steps: [{name: s, image: alpine, script: 'echo ok'}]}}
    - name: bad
      runAfter: [ok]
      taskSpec: {steps: [{name: s, image: alpine, script: 'echo "version ${version}"; exit ${exit}'}]}
`;
    const one = await start(
      h,
      `${pipeline('one', 1)}---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: frozen-run}
spec: {pipelineRef: {name: frozen-p}}
`,
    );
    await waitForRun(h, one.id);
    await apply(h, pipeline('two', 0));
    const fromFailed = await rerunPipelineRun(h.control(), h.me, one.name, { fromFailed: true });
    await h.engine.advance(fromFailed.id);
    await waitForRun(h, fromFailed.id);
    const rerunBad = (await byTask(fromFailed.id)).bad;
    expect(await logLines(h, rerunBad.id)).toContain('version one');
    expect(rerunBad.state).toBe('failed');
    const plain = await rerunPipelineRun(h.control(), h.me, one.name);
    await h.engine.advance(plain.id);
    await waitForRun(h, plain.id);
    expect(await logLines(h, (await byTask(plain.id)).bad.id)).toContain('version two');
  });

  it('joins its Pipeline’s concurrency group like any run: Queued while another run holds the slot', async () => {
    const cq = (name: string) => ({
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name },
      spec: { pipelineRef: { name: 'cq' } },
    });
    await apply(h, {
      apiVersion: 'tekton.dev/v1',
      kind: 'Pipeline',
      metadata: { name: 'cq', annotations: { 'keelson.dev/concurrency': '1' } },
      spec: {
        tasks: [
          { name: 'ok', taskSpec: { steps: [{ name: 's', image: 'alpine', script: 'sleep 1' }] } },
          {
            name: 'bad',
            runAfter: ['ok'],
            taskSpec: {
              steps: [{ name: 's', image: 'alpine', script: '[ "$(context.pipelineRun.name)" != "cq-first" ]' }],
            },
          },
        ],
      },
    });
    const first = await start(h, cq('cq-first'));
    expect((await waitForRun(h, first.id)).conditionReason).toBe('Failed');
    const blocker = await start(h, cq('cq-blocker'));
    const rerun = await rerunPipelineRun(h.control(), h.me, 'cq-first', { fromFailed: true });
    const queued = await getRun(h, rerun.id);
    expect(queued.conditionReason).toBe('Queued');
    expect(await children(h, rerun.id)).toEqual([]);
    expect((await waitForRun(h, blocker.id)).conditionReason).toBe('Succeeded');
    await h.engine.advance(rerun.id);
    expect((await waitForRun(h, rerun.id)).conditionReason).toBe('Succeeded');
    expect(Object.keys(await byTask(rerun.id))).toEqual(['bad']);
  });

  it('evaluates the when expressions of the tasks it reruns again, against the reused results', async () => {
    const guarded = pipelineRun('rerun-when', {
      tasks: [
        {
          name: 'a',
          taskSpec: {
            results: [{ name: 'go' }],
            steps: [{ name: 's', image: 'alpine', script: 'printf yes > $(results.go.path)' }],
          },
        },
        {
          name: 'b',
          taskSpec: {
            steps: [{ name: 's', image: 'alpine', script: '[ "$(context.pipelineRun.name)" != "rerun-when" ]' }],
          },
        },
        {
          name: 'go',
          runAfter: ['b'],
          when: [{ input: '$(tasks.a.results.go)', operator: 'in', values: ['yes'] }],
          taskSpec: { steps: [{ name: 's', image: 'alpine', script: 'echo go ran' }] },
        },
        {
          name: 'stop',
          runAfter: ['b'],
          when: [{ input: '$(tasks.a.results.go)', operator: 'notin', values: ['yes'] }],
          taskSpec: { steps: [{ name: 's', image: 'alpine', script: 'echo stop ran' }] },
        },
      ],
    });
    const one = await start(h, guarded);
    const first = await waitForRun(h, one.id);
    expect(first.status.skippedTasks).toEqual([
      { name: 'go', reason: 'Parent Tasks were skipped' },
      { name: 'stop', reason: 'Parent Tasks were skipped' },
    ]);
    const two = await rerunPipelineRun(h.control(), h.me, one.name, { fromFailed: true });
    await h.engine.advance(two.id);
    const done = await waitForRun(h, two.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Completed' });
    expect(done.status.skippedTasks).toEqual([{ name: 'stop', reason: 'When Expressions evaluated to false' }]);
    expect(Object.keys(await byTask(two.id)).sort()).toEqual(['b', 'go']);
  });

  it('reruns a run cancelled mid-way: what was cancelled or never started runs, what had succeeded is reused', async () => {
    const slow = pipelineRun('rerun-cancelled', {
      tasks: [
        { name: 'quick', taskSpec: { steps: [{ name: 's', image: 'alpine', script: 'echo quick' }] } },
        {
          name: 'slow',
          runAfter: ['quick'],
          taskSpec: {
            steps: [
              {
                name: 's',
                image: 'alpine',
                script: '[ "$(context.pipelineRun.name)" != "rerun-cancelled" ] || sleep 30',
              },
            ],
          },
        },
        {
          name: 'last',
          runAfter: ['slow'],
          taskSpec: { steps: [{ name: 's', image: 'alpine', script: 'echo last' }] },
        },
      ],
    });
    const one = await start(h, slow);
    await waitForTask(h, one.id, 'slow', ['running']);
    await cancelPipelineRun(h.control(), h.me, one.name, 'Cancelled');
    await h.engine.advance(one.id);
    expect((await waitForRun(h, one.id)).conditionReason).toBe('Cancelled');
    const two = await rerunPipelineRun(h.control(), h.me, one.name, { fromFailed: true });
    await h.engine.advance(two.id);
    expect((await waitForRun(h, two.id)).conditionReason).toBe('Succeeded');
    expect(Object.keys(await byTask(two.id)).sort()).toEqual(['last', 'slow']);
  });
});
