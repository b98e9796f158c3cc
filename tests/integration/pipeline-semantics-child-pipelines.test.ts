import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { pipelineRuns } from '../../lib/adapters/db/schema';
import { cancelPipelineRun } from '../../lib/server/pipeline/cancel-pipeline-run';
import { deletePipelineRun } from '../../lib/server/pipeline/delete-pipeline-run';
import {
  apply,
  child,
  getRun,
  logLines,
  pipelineRun,
  rejection,
  start,
  useHarness,
  waitForRun,
  waitForTask,
  type RunStatus,
} from './pipeline-semantics-support';

const h = useHarness();

const sh = (name: string, script: string, extra: Record<string, unknown> = {}) => ({
  name,
  ...extra,
  taskSpec: { steps: [{ name: 's', image: 'alpine', script }], ...((extra.taskSpec as object) ?? {}) },
});

const pipeline = (name: string, spec: unknown) => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'Pipeline',
  metadata: { name },
  spec,
});

/** The child PipelineRun of a parent's pipeline task, once it exists. */
async function childRun(parentId: string, task: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await h.t.handle.db.select().from(pipelineRuns).where(eq(pipelineRuns.parentRunId, parentId));
    const found = rows.find((r) => r.parentTask === task);
    if (found || Date.now() > deadline) return found && { ...found, status: found.status as unknown as RunStatus };
    await h.engine.tick();
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('pipelines in pipelines', () => {
  it('runs a referenced Pipeline as a child PipelineRun whose results later tasks and pipeline results read', async () => {
    await apply(h, [
      pipeline('pip-inner', {
        params: [{ name: 'who' }],
        workspaces: [{ name: 'src' }],
        tasks: [
          {
            name: 'greet',
            params: [{ name: 'who', value: '$(params.who)' }],
            workspaces: [{ name: 'src', workspace: 'src' }],
            taskSpec: {
              params: [{ name: 'who' }],
              workspaces: [{ name: 'src' }],
              results: [{ name: 'greeting' }],
              steps: [
                {
                  name: 's',
                  image: 'alpine',
                  script:
                    'printf "hello $(params.who) from $(cat $(workspaces.src.path)/seed.txt)" > $(results.greeting.path)',
                },
              ],
            },
          },
        ],
        results: [{ name: 'greeting', value: '$(tasks.greet.results.greeting)' }],
      }),
    ]);
    const run = await start(
      h,
      pipelineRun(
        'pip-outer',
        {
          workspaces: [{ name: 'shared' }],
          tasks: [
            sh('seed', 'printf seed-file > $(workspaces.shared.path)/seed.txt', {
              workspaces: [{ name: 'shared', workspace: 'shared' }],
              taskSpec: { workspaces: [{ name: 'shared' }] },
            }),
            {
              name: 'child',
              runAfter: ['seed'],
              params: [{ name: 'who', value: 'parent' }],
              workspaces: [{ name: 'src', workspace: 'shared' }],
              pipelineRef: { name: 'pip-inner' },
            },
            sh('after', 'echo "got: $(params.g)"', {
              params: [{ name: 'g', value: '$(tasks.child.results.greeting)' }],
              taskSpec: { params: [{ name: 'g' }] },
            }),
          ],
          results: [{ name: 'out', value: '$(tasks.child.results.greeting)' }],
        },
        { workspaces: [{ name: 'shared', emptyDir: {} }] },
      ),
    );
    const done = await waitForRun(h, run.id, 60_000);
    expect(done.conditionReason).toBe('Succeeded');
    const kid = await childRun(run.id, 'child');
    expect(kid?.name).toBe('pip-outer-child');
    expect(kid?.project).toBe(done.project);
    expect(kid?.pipelineName).toBe('pip-inner');
    expect(kid?.conditionReason).toBe('Succeeded');
    expect(done.status.childReferences).toContainEqual(
      expect.objectContaining({ kind: 'PipelineRun', name: 'pip-outer-child', pipelineTaskName: 'child' }),
    );
    expect(await logLines(h, (await child(h, run.id, 'after')).id)).toContain('got: hello parent from seed-file');
    expect(done.status.results).toEqual([{ name: 'out', value: 'hello parent from seed-file' }]);
  }, 90_000);

  it('a failing child fails its pipeline task and the parent; onError: continue lets the parent go on', async () => {
    const failing = { tasks: [sh('boom', 'echo failing; exit 3')] };
    const run = await start(
      h,
      pipelineRun('pip-fails', {
        tasks: [
          { name: 'child', pipelineSpec: failing },
          sh('after', 'echo should not run', { runAfter: ['child'] }),
          { name: 'tolerated', pipelineSpec: failing, onError: 'continue' },
        ],
      }),
    );
    const done = await waitForRun(h, run.id, 60_000);
    expect(done.conditionStatus).toBe('False');
    expect(done.conditionReason).toBe('Failed');
    expect((await childRun(run.id, 'child'))?.conditionReason).toBe('Failed');
    expect((await childRun(run.id, 'tolerated'))?.conditionReason).toBe('Failed');
    expect(done.status.skippedTasks).toEqual([{ name: 'after', reason: 'Parent Tasks were skipped' }]);
    // As for TaskRuns: the tolerated child counts as an ignored failure (onError: continue).
    expect(done.status.conditions[0].message).toBe(
      'Tasks Completed: 2 (Failed: 2 (Ignored: 1), Cancelled 0), Skipped: 1',
    );
  }, 90_000);

  it('cancelling the parent cancels the running child in the same mode', async () => {
    const run = await start(
      h,
      pipelineRun('pip-cancel', { tasks: [{ name: 'child', pipelineSpec: { tasks: [sh('long', 'sleep 30')] } }] }),
    );
    const kid = await childRun(run.id, 'child');
    expect(kid).toBeDefined();
    await h.engine.advance(kid!.id);
    await waitForTask(h, kid!.id, 'long', ['running']);
    const began = Date.now();
    await cancelPipelineRun(h.control(), h.me, 'pip-cancel', 'Cancelled');
    await h.engine.advance(run.id);
    await h.engine.advance(kid!.id);
    const doneKid = await waitForRun(h, kid!.id, 20_000);
    expect(doneKid.conditionReason).toBe('Cancelled');
    expect((doneKid.spec as { run: { status?: string } }).run.status).toBe('Cancelled');
    const done = await waitForRun(h, run.id, 20_000);
    expect(done.conditionReason).toBe('Cancelled');
    expect(Date.now() - began).toBeLessThan(15_000);
  }, 60_000);

  it('CancelledRunFinally reaches the child as CancelledRunFinally: its finally runs; a false when skips a child', async () => {
    const run = await start(
      h,
      pipelineRun('pip-cancel-finally', {
        tasks: [
          {
            name: 'child',
            pipelineSpec: { tasks: [sh('long', 'sleep 30')], finally: [sh('tidy', 'echo child finally ran')] },
          },
          { name: 'never', when: [{ input: 'a', operator: 'in', values: ['b'] }], pipelineRef: { name: 'pip-inner' } },
        ],
      }),
    );
    const kid = await childRun(run.id, 'child');
    await h.engine.advance(kid!.id);
    await waitForTask(h, kid!.id, 'long', ['running']);
    await cancelPipelineRun(h.control(), h.me, 'pip-cancel-finally', 'CancelledRunFinally');
    await h.engine.advance(run.id);
    await h.engine.advance(kid!.id);
    const doneKid = await waitForRun(h, kid!.id, 30_000);
    expect((doneKid.spec as { run: { status?: string } }).run.status).toBe('CancelledRunFinally');
    expect(doneKid.conditionReason).toBe('Cancelled');
    expect(await logLines(h, (await child(h, kid!.id, 'tidy')).id)).toContain('child finally ran');
    const done = await waitForRun(h, run.id, 20_000);
    expect(done.conditionReason).toBe('Cancelled');
    expect(done.status.skippedTasks).toContainEqual({ name: 'never', reason: 'When Expressions evaluated to false' });
    expect(await childRun(run.id, 'never', 500)).toBeUndefined();
  }, 60_000);

  it('a finished child is deleted with its parent, not alone while the parent runs', async () => {
    const run = await start(
      h,
      pipelineRun('pip-delete', {
        tasks: [
          { name: 'child', pipelineSpec: { tasks: [sh('quick', 'echo quick')] } },
          sh('wait', 'sleep 3', { runAfter: ['child'] }),
        ],
      }),
    );
    const kid = await childRun(run.id, 'child');
    expect((await waitForRun(h, kid!.id, 20_000)).conditionReason).toBe('Succeeded');
    await h.engine.advance(run.id);
    expect((await getRun(h, run.id)).completedAt).toBeNull();
    const refused = await rejection(deletePipelineRun(h.control(), h.me, kid!.name));
    expect(refused.status).toBe(409);
    expect(refused.message).toBe('PipelineRun "pip-delete-child" is a child of "pip-delete", which is still running.');
    await waitForRun(h, run.id, 20_000);
    await deletePipelineRun(h.control(), h.me, 'pip-delete');
    expect(await h.t.handle.db.select().from(pipelineRuns).where(eq(pipelineRuns.id, kid!.id))).toEqual([]);
  }, 60_000);

  it("the parent's timeout bounds the child: it times out and fails the task", async () => {
    const began = Date.now();
    const run = await start(
      h,
      pipelineRun(
        'pip-timeout',
        { tasks: [{ name: 'child', pipelineSpec: { tasks: [sh('long', 'sleep 30')] } }] },
        { timeouts: { pipeline: '4s' } },
      ),
    );
    const kid = await childRun(run.id, 'child');
    const timeouts = (kid?.spec as { run: { timeouts?: { pipeline?: string } } }).run.timeouts;
    // What was left of the parent's 4 s when the child started.
    expect(timeouts?.pipeline).toMatch(/^\d+ms$/);
    expect(Number.parseInt(timeouts!.pipeline!, 10)).toBeLessThanOrEqual(4000);
    const done = await waitForRun(h, run.id, 30_000);
    expect(done.conditionStatus).toBe('False');
    expect(done.conditionReason).toBe('PipelineRunTimeout');
    expect(Date.now() - began).toBeLessThan(15_000);
    const doneKid = await getRun(h, kid!.id);
    expect(doneKid.completedAt).not.toBeNull();
    expect(['PipelineRunTimeout', 'Cancelled']).toContain(doneKid.conditionReason);
  }, 60_000);
});

describe('pipelines in pipelines: refused at run time', () => {
  it('a cycle stored past apply (written to the store directly) fails the task that would close it', async () => {
    const stores = h.t.deps().stores;
    for (const [name, next] of [
      ['pip-loop-a', 'pip-loop-b'],
      ['pip-loop-b', 'pip-loop-a'],
    ] as const)
      await stores.definitions.insert({
        kind: 'Pipeline',
        name,
        project: 'default',
        version: 1,
        createdBy: 'ci',
        document: {
          apiVersion: 'tekton.dev/v1',
          kind: 'Pipeline',
          metadata: { name },
          spec: { tasks: [{ name: 'next', pipelineRef: { name: next } }] },
        },
      });
    const run = await start(h, {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: 'pip-loop' },
      spec: { pipelineRef: { name: 'pip-loop-a' } },
    });
    const done = await waitForRun(h, run.id, 30_000);
    expect(done.conditionReason).toBe('Failed');
    const b = await childRun(run.id, 'next');
    expect(b?.pipelineName).toBe('pip-loop-b');
    expect(b?.conditionReason).toBe('Failed');
    // loop-b's task would run loop-a again: it fails in place of a child, saying why; no third run exists.
    const refused = await child(h, b!.id, 'next');
    expect(refused.state).toBe('failed');
    expect(refused.status.conditions[0]).toMatchObject({
      reason: 'PipelineNestingRefused',
      message:
        'pipeline task "next" runs Pipeline "pip-loop-a", which is already running above it (pip-loop-a → pip-loop-b → pip-loop-a)',
    });
    expect(await childRun(b!.id, 'next', 500)).toBeUndefined();
  }, 60_000);
});

describe('pipelines in pipelines: refused at apply', () => {
  const refusedAt = async (docs: unknown[]) => {
    const err = await rejection(apply(h, docs));
    expect(err.status).toBe(400);
    return err.details.issues ?? [];
  };

  it('a Pipeline that runs itself, directly or through another', async () => {
    const direct = await refusedAt([
      pipeline('pip-self', { tasks: [{ name: 'me', pipelineRef: { name: 'pip-self' } }] }),
    ]);
    expect(direct).toContainEqual({
      path: 'documents[0].spec.tasks[0].pipelineRef.name',
      message: expect.stringMatching(/pip-self → pip-self is a cycle/),
    });
    const loop = await refusedAt([
      pipeline('pip-a', { tasks: [{ name: 'b', pipelineRef: { name: 'pip-b' } }] }),
      pipeline('pip-b', { tasks: [sh('x', 'true'), { name: 'a', pipelineRef: { name: 'pip-a' } }] }),
    ]);
    expect(loop).toContainEqual({
      path: 'documents[0].spec.tasks[0].pipelineRef.name',
      message: expect.stringMatching(/pip-a → pip-b → pip-a is a cycle/),
    });
    expect(loop).toContainEqual({
      path: 'documents[1].spec.tasks[1].pipelineRef.name',
      message: expect.stringMatching(/pip-b → pip-a → pip-b is a cycle/),
    });
  });

  it('nesting deeper than 5 levels, and a missing Pipeline', async () => {
    const chain = [1, 2, 3, 4, 5, 6].map((i) =>
      pipeline(`pip-d${i}`, {
        tasks: [i < 6 ? { name: 'next', pipelineRef: { name: `pip-d${i + 1}` } } : sh('x', 'true')],
      }),
    );
    // d1 → … → d6 nests 5 levels of children: allowed; one more level is refused.
    await apply(h, chain);
    const deep = await refusedAt([pipeline('pip-d0', { tasks: [{ name: 'next', pipelineRef: { name: 'pip-d1' } }] })]);
    expect(deep).toEqual([
      { path: 'documents[0].spec.tasks[0].pipelineRef.name', message: expect.stringMatching(/nest 6 deep.*at most 5/) },
    ]);
    const missing = await refusedAt([pipeline('pip-m', { tasks: [{ name: 'x', pipelineRef: { name: 'pip-nope' } }] })]);
    expect(missing).toEqual([
      {
        path: 'documents[0].spec.tasks[0].pipelineRef.name',
        message: expect.stringMatching(/refers to Pipeline "pip-nope", which does not exist/),
      },
    ]);
  });

  it('matrix and retries on a pipeline task that runs a Pipeline, and two of taskRef/pipelineRef', async () => {
    const issues = await refusedAt([
      pipeline('pip-bad', {
        tasks: [
          { name: 'm', pipelineSpec: { tasks: [sh('x', 'true')] }, matrix: { params: [{ name: 'p', value: ['a'] }] } },
          { name: 'r', pipelineSpec: { tasks: [sh('x', 'true')] }, retries: 2 },
          { name: 'both', taskRef: { name: 't' }, pipelineRef: { name: 'p' } },
        ],
      }),
    ]);
    const paths = issues.map((i) => i.path);
    expect(paths).toContain('documents[0].spec.tasks[0].matrix');
    expect(paths).toContain('documents[0].spec.tasks[1].retries');
    expect(paths).toContain('documents[0].spec.tasks[2].taskRef');
    expect(issues.find((i) => i.path.endsWith('matrix'))?.message).toMatch(/inside the child Pipeline/);
  });
});
