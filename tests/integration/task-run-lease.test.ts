import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { taskRuns } from '../../lib/adapters/db/schema';
import { pendingTaskRunStatus } from '../../lib/domain/pipeline/task-run-status';
import { appendLogs, readLogs } from '../../lib/server/pipeline/task-run-logs';
import { claimTaskRun, completeTaskRun, reapExpiredLeases, renewLease } from '../../lib/server/pipeline/task-run-lease';
import { testDatabase, type TestDatabase } from './support/test-database';
import type { TTaskRunStatus } from '../../lib/domain/pipeline/stored-schemas';

let t: TestDatabase;
beforeAll(async () => {
  t = await testDatabase();
});

async function pendingTaskRun(name: string) {
  const [row] = await t.handle.db
    .insert(taskRuns)
    .values({
      name,
      plan: { taskRunName: name, steps: [] },
      status: pendingTaskRunStatus(new Date()),
    })
    .returning();
  return row;
}

it('lets exactly one of several racing workers claim a TaskRun, and a repeated claim is a no-op', async () => {
  const row = await pendingTaskRun('race-1');
  const claims = await Promise.all(['w1', 'w2', 'w3', 'w4'].map((w) => claimTaskRun(t.deps(), row.id, w)));
  const winners = claims.filter(Boolean);
  expect(winners).toHaveLength(1);
  expect(await claimTaskRun(t.deps(), row.id, winners[0]!.leaseOwner!)).toBeUndefined();
});

it("reaps a dead worker's TaskRun after its lease expires, and the late worker cannot overwrite the verdict", async () => {
  const row = await pendingTaskRun('dead-worker');
  await claimTaskRun(t.deps(), row.id, 'doomed', 30_000);
  expect(await reapExpiredLeases(t.deps())).toHaveLength(0);
  const later = () => new Date(Date.now() + 31_000);
  const reaped = await reapExpiredLeases(t.deps(later));
  expect(reaped.map((r) => r.id)).toContain(row.id);
  expect(reaped.every((r) => r.state === 'failed')).toBe(true);
  const [after] = await t.handle.db.select().from(taskRuns).where(eq(taskRuns.id, row.id));
  expect(after.state).toBe('failed');
  expect(JSON.stringify(after.status)).toContain('TaskRunLeaseExpired');
  expect((await renewLease(t.deps(), row.id, 'doomed')).held).toBe(false);
  expect(
    await completeTaskRun(t.deps(), row.id, 'doomed', { state: 'succeeded', status: {} as TTaskRunStatus }),
  ).toBeUndefined();
});

it('reports a cancel request to the lease holder', async () => {
  const row = await pendingTaskRun('cancel-me');
  await claimTaskRun(t.deps(), row.id, 'w');
  expect(await renewLease(t.deps(), row.id, 'w')).toEqual({ held: true, cancelRequested: null });
  await t.handle.db.update(taskRuns).set({ cancelRequested: 'Cancelled' }).where(eq(taskRuns.id, row.id));
  expect(await renewLease(t.deps(), row.id, 'w')).toEqual({ held: true, cancelRequested: 'Cancelled' });
});

it('stores log lines in order and reads only what is new', async () => {
  const row = await pendingTaskRun('logs');
  const at = new Date();
  await appendLogs(t.deps(), row.id, [
    { step: 'a', stream: 'stdout', at, text: 'one' },
    { step: 'a', stream: 'stderr', at, text: 'two' },
  ]);
  await appendLogs(t.deps(), row.id, [{ step: 'b', stream: 'stdout', at, text: 'three' }]);
  const all = await readLogs(t.deps(), row.id);
  expect(all.flatMap((c) => c.lines.map((l) => l.text))).toEqual(['one', 'two', 'three']);
  const newer = await readLogs(t.deps(), row.id, all[0].id);
  expect(newer.map((c) => c.step)).toEqual(['b']);
});
