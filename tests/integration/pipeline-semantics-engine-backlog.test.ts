import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { pipeline, runOf } from './pipeline-concurrency-support';
import { apply, children, getRun, start, useHarness, waitForRun } from './pipeline-semantics-support';

const h = useHarness();

describe('engine slots', () => {
  it('a TaskRun put on the backlog while another reconcile held every slot starts when that reconcile ends unused', async () => {
    // No concurrency group: the race is the engine's alone (the harness, like a worker whose queue is slow, has no
    // TaskRun job consumer, so only this process's free slots can start it).
    await apply(h, pipeline('bl', {}, 0.1));
    const blocker = await start(h, runOf('bl', 'bl-blocker'));
    expect((await waitForRun(h, blocker.id)).conditionReason).toBe('Succeeded');
    const { runs } = await apply(h, runOf('bl', 'bl-next'));
    const next = runs.find((r) => r.kind === 'PipelineRun')!;
    // The blocker's reconcile reserves the engine's four slots, then waits for its row, which this transaction holds.
    let unlock = () => {};
    const held = new Promise<void>((r) => (unlock = r));
    let locked = () => {};
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = h.t.handle.db.transaction(async (tx) => {
      await tx.execute(sql`select id from pipeline_runs where id = ${blocker.id} for update`);
      locked();
      await held;
    });
    await isLocked;
    const blocked = h.engine.advance(blocker.id);
    // No slot left for next's TaskRun: it goes on the backlog.
    await h.engine.advance(next.id);
    expect((await children(h, next.id)).map((c) => c.state)).toEqual(['pending']);
    unlock();
    await Promise.all([holder, blocked]);
    // The blocker's reconcile freed its slots unused: next's TaskRun runs now, not never (no tick needed).
    const deadline = Date.now() + 15_000;
    while (!(await getRun(h, next.id)).completedAt && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect((await getRun(h, next.id)).conditionReason).toBe('Succeeded');
  });
});
