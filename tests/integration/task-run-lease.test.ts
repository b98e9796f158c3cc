import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { taskRuns } from '../../lib/adapters/db/schema';
import { pendingTaskRunStatus } from '../../lib/domain/pipeline/task-run-status';
import { createTaskRunStore } from '../../lib/adapters/db/task-run-store';
import type { LogLine } from '../../lib/domain/pipeline/task-run-plan';
import type { Deps } from '../../lib/server/deps';
import type { TaskRunCompletion } from '../../lib/server/pipeline/ports';
import { DEFAULT_LEASE_MS } from '../../lib/server/pipeline/task-run-lease';
import { readLogs } from '../../lib/server/pipeline/task-run-logs';
import { testDatabase, type TestDatabase } from './support/test-database';
import type { TTaskRunStatus } from '../../lib/domain/pipeline/stored-schemas';

let t: TestDatabase;

// The TaskRunStore (lib/adapters/db/task-run-store.ts) under the names these tests were written with.
const store = (deps: Deps) => createTaskRunStore(deps.db, deps.now);
const claimTaskRun = async (deps: Deps, id: string, owner: string, leaseMs = DEFAULT_LEASE_MS) =>
  (await store(deps).claim([id], owner, leaseMs))[0];
const reapExpiredLeases = (deps: Deps) => store(deps).reapExpired();
const renewLease = (deps: Deps, id: string, owner: string, leaseMs = DEFAULT_LEASE_MS) =>
  store(deps).renewLease(id, owner, leaseMs);
const completeTaskRun = (deps: Deps, id: string, owner: string, done: TaskRunCompletion) =>
  store(deps).complete(id, owner, done);
const appendLogs = (deps: Deps, id: string, lines: LogLine[]) => store(deps).appendLogs(id, lines);
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
