import { describe, expect, it } from 'vitest';
import { cancelPipelineRun, type CancelMode } from '../../lib/server/pipeline/cancel-pipeline-run';
import {
  children,
  getRun,
  logLines,
  pipelineRun,
  start,
  useHarness,
  waitForRun,
  waitForTask,
} from './pipeline-semantics-support';

const h = useHarness();

const sh = (name: string, script: string, extra: Record<string, unknown> = {}) => ({
  name,
  ...extra,
  taskSpec: { steps: [{ name: 's', image: 'alpine', script }] },
});

/** A long task, a task after it, and a finally task that reports what it saw. */
function cancellable(name: string, longScript: string) {
  return pipelineRun(name, {
    tasks: [sh('long', longScript), sh('next', 'echo next ran', { runAfter: ['long'] })],
    finally: [
      {
        name: 'cleanup',
        params: [{ name: 'seen', value: 'long=$(tasks.long.status) next=$(tasks.next.status)' }],
        taskSpec: {
          params: [{ name: 'seen' }],
          steps: [{ name: 's', image: 'alpine', script: 'echo "finally $(params.seen)"' }],
        },
      },
    ],
  });
}

async function startAndCancel(name: string, longScript: string, mode: CancelMode) {
  const run = await start(h, cancellable(name, longScript));
  const [long] = await waitForTask(h, run.id, 'long', ['running']);
  expect(long.state).toBe('running');
  await cancelPipelineRun(h.control(), h.me, name, mode);
  await h.engine.advance(run.id);
  return run;
}

const byTask = async (runId: string) => Object.fromEntries((await children(h, runId)).map((c) => [c.pipelineTask!, c]));

describe('cancellation modes', () => {
  it('Cancelled stops the running task, starts nothing else and skips finally', async () => {
    const began = Date.now();
    const run = await startAndCancel('cancel-hard', 'echo long started\nsleep 5\necho long finished', 'Cancelled');
    const done = await waitForRun(h, run.id);
    expect(done.conditionStatus).toBe('False');
    expect(done.conditionReason).toBe('Cancelled');
    expect(done.status.conditions[0]).toMatchObject({ status: 'False', reason: 'Cancelled' });
    const [long] = await waitForTask(h, run.id, 'long', ['cancelled', 'failed', 'succeeded']);
    expect(Date.now() - began).toBeLessThan(4500);
    expect(long.state).toBe('cancelled');
    expect(long.status.conditions[0]).toMatchObject({ status: 'False', reason: 'TaskRunCancelled' });
    expect(await logLines(h, long.id)).not.toContain('long finished');
    expect(Object.keys(await byTask(run.id))).toEqual(['long']);
  });

  it('CancelledRunFinally stops the running task, skips the rest, then runs finally', async () => {
    const run = await startAndCancel('cancel-finally', 'sleep 5\necho long finished', 'CancelledRunFinally');
    const mid = await getRun(h, run.id);
    expect(mid.completedAt).toBeNull();
    expect(mid.conditionReason).toBe('CancelledRunningFinally');
    const done = await waitForRun(h, run.id);
    // As Tekton: CancelledRunningFinally while finally runs, then Cancelled ("PipelineRun "x" was cancelled").
    expect(done.conditionReason).toBe('Cancelled');
    expect(done.status.conditions[0]).toMatchObject({
      status: 'False',
      reason: 'Cancelled',
      message: `PipelineRun "${run.name}" was cancelled`,
    });
    // As Tekton: a task that never started names the graceful cancel, not its cancelled parent.
    expect(done.status.skippedTasks).toEqual([{ name: 'next', reason: 'PipelineRun was gracefully cancelled' }]);
    const tasks = await byTask(run.id);
    expect(Object.keys(tasks).sort()).toEqual(['cleanup', 'long']);
    expect(tasks.long.state).toBe('cancelled');
    expect(await logLines(h, tasks.long.id)).not.toContain('long finished');
    expect(tasks.cleanup.state).toBe('succeeded');
    expect(await logLines(h, tasks.cleanup.id)).toContain('finally long=Failed next=None');
  });

  it('StoppedRunFinally lets the running task finish, starts nothing new, then runs finally', async () => {
    const run = await startAndCancel('stop-finally', 'sleep 1\necho long finished', 'StoppedRunFinally');
    const mid = await getRun(h, run.id);
    expect(mid.completedAt).toBeNull();
    expect(mid.conditionReason).toBe('StoppedRunningFinally');
    const done = await waitForRun(h, run.id);
    expect(done.conditionReason).toBe('Cancelled');
    expect(done.status.conditions[0]).toMatchObject({
      status: 'False',
      reason: 'Cancelled',
      message: `PipelineRun "${run.name}" was cancelled`,
    });
    expect(done.status.skippedTasks).toEqual([{ name: 'next', reason: 'PipelineRun was gracefully stopped' }]);
    const tasks = await byTask(run.id);
    expect(Object.keys(tasks).sort()).toEqual(['cleanup', 'long']);
    expect(tasks.long.state).toBe('succeeded');
    expect(await logLines(h, tasks.long.id)).toContain('long finished');
    expect(await logLines(h, tasks.cleanup.id)).toContain('finally long=Succeeded next=None');
  });
});
