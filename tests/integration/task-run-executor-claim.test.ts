import { eq, inArray } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { taskRuns } from '../../lib/adapters/db/schema';
import { createTaskRunStore } from '../../lib/adapters/db/task-run-store';
import { EXECUTOR_ANNOTATION } from '../../lib/domain/pipeline/executor-choice';
import { pendingTaskRunStatus } from '../../lib/domain/pipeline/task-run-status';
import type { ClaimRoute } from '../../lib/server/pipeline/ports';
import { testDatabase, type TestDatabase } from './support/test-database';

/**
 * The claim hands each TaskRun to its executor (annotation over setting, as pickExecutor) and bounds the Kubernetes
 * executor's across all workers: maxConcurrentTaskRuns counted under a lock, so racing claims never exceed it and a
 * TaskRun over the limit stays pending for a later claim.
 */
let t: TestDatabase;
let n = 0;
const store = () => createTaskRunStore(t.handle.db, () => new Date());
const K8S = (max: number): ClaimRoute => ({ defaultExecutor: 'kubernetes', kubernetes: { max } });

async function pending(count: number, executor?: 'local' | 'kubernetes'): Promise<string[]> {
  const rows = await t.handle.db
    .insert(taskRuns)
    .values(
      Array.from({ length: count }, () => {
        const name = `claim-${++n}`;
        const metadata = executor ? { metadata: { annotations: { [EXECUTOR_ANNOTATION]: executor } } } : {};
        return { name, plan: { taskRunName: name, steps: [], ...metadata }, status: pendingTaskRunStatus(new Date()) };
      }),
    )
    .returning({ id: taskRuns.id });
  return rows.map((r) => r.id);
}

const states = async (ids: string[]) =>
  t.handle.db
    .select({ id: taskRuns.id, state: taskRuns.state, executor: taskRuns.executor, owner: taskRuns.leaseOwner })
    .from(taskRuns)
    .where(inArray(taskRuns.id, ids));

beforeAll(async () => {
  t = await testDatabase();
});
// Each test starts with nothing running: the bound counts every running Kubernetes TaskRun of the table.
afterEach(async () => {
  await t.handle.db.update(taskRuns).set({ state: 'succeeded' }).where(eq(taskRuns.state, 'running'));
});

describe('claiming TaskRuns for their executor', () => {
  it('records the executor: the setting’s default, or the TaskRun’s annotation over it', async () => {
    const [plain] = await pending(1);
    const [local] = await pending(1, 'local');
    const [pod] = await pending(1, 'kubernetes');
    const claimed = await store().claim([plain, local, pod], 'w1', 30_000, K8S(10));
    expect(Object.fromEntries(claimed.map((r) => [r.id, r.executor]))).toEqual({
      [plain]: 'kubernetes',
      [local]: 'local',
      [pod]: 'kubernetes',
    });
    expect((await states([plain, local, pod])).every((r) => r.state === 'running' && r.owner === 'w1')).toBe(true);
  });

  it('without a cluster set, claims everything: a TaskRun asking for kubernetes too, for the engine to fail it', async () => {
    const [plain] = await pending(1);
    const [pod] = await pending(1, 'kubernetes');
    const claimed = await store().claim([plain, pod], 'w1', 30_000, { defaultExecutor: 'local' });
    expect(Object.fromEntries(claimed.map((r) => [r.id, r.executor]))).toEqual({
      [plain]: 'local',
      [pod]: 'kubernetes',
    });
  });

  it('takes at most maxLocal local TaskRuns (the worker’s free slots); the rest stay pending', async () => {
    const ids = await pending(3, 'local');
    const claimed = await store().claim(ids, 'w1', 30_000, { ...K8S(10), maxLocal: 2 });
    expect(claimed).toHaveLength(2);
    expect((await states(ids)).filter((r) => r.state === 'pending')).toHaveLength(1);
    expect(await store().claim(ids, 'w1', 30_000, { defaultExecutor: 'local', maxLocal: 0 })).toEqual([]);
  });
});

describe('the bound on TaskRuns running on Kubernetes (maxConcurrentTaskRuns)', () => {
  it('counts what already runs: with 2 of 3 running, one more is claimed and the rest stay pending', async () => {
    await store().claim(await pending(2), 'w0', 30_000, K8S(3));
    const ids = await pending(3);
    const claimed = await store().claim(ids, 'w1', 30_000, K8S(3));
    expect(claimed).toHaveLength(1);
    expect((await states(ids)).filter((r) => r.state === 'pending')).toHaveLength(2);
    // Once one ends, a later claim (the tick's) takes the next.
    await t.handle.db.update(taskRuns).set({ state: 'succeeded' }).where(eq(taskRuns.id, claimed[0].id));
    const later = await store().claim(ids, 'w2', 30_000, K8S(3));
    expect(later).toHaveLength(1);
  });

  it('never exceeds it when several workers claim at once (20 rounds of 4 racing claims over 8 TaskRuns, limit 3)', async () => {
    for (let round = 0; round < 20; round++) {
      const ids = await pending(8);
      // Each worker claims an overlapping slice, as fan-outs queued to several workers do.
      const results = await Promise.all(
        ['a', 'b', 'c', 'd'].map((w, i) => store().claim(ids.slice(i, i + 5), `w-${w}`, 30_000, K8S(3))),
      );
      const claimed = results.flat();
      expect(claimed).toHaveLength(3);
      expect(new Set(claimed.map((r) => r.id)).size).toBe(3);
      const rows = await states(ids);
      expect(rows.filter((r) => r.state === 'running')).toHaveLength(3);
      expect(rows.filter((r) => r.state === 'pending')).toHaveLength(5);
      await t.handle.db.update(taskRuns).set({ state: 'succeeded' }).where(eq(taskRuns.state, 'running'));
    }
  });

  it('does not count local TaskRuns against it, nor let it hold back local ones', async () => {
    const locals = await pending(4, 'local');
    const pods = await pending(4);
    const claimed = await store().claim([...locals, ...pods], 'w1', 30_000, K8S(2));
    expect(claimed.filter((r) => r.executor === 'local')).toHaveLength(4);
    expect(claimed.filter((r) => r.executor === 'kubernetes')).toHaveLength(2);
  });

  it('a retry is claimed afresh: resetForRetry clears its executor and pod', async () => {
    const [id] = await pending(1);
    await store().claim([id], 'w1', 30_000, K8S(5));
    await store().recordPod(id, 'w1', { namespace: 'team-a', name: 'claim-x-pod' });
    const [row] = await t.handle.db.select().from(taskRuns).where(eq(taskRuns.id, id));
    expect(row).toMatchObject({ executor: 'kubernetes', podNamespace: 'team-a', status: { podName: 'claim-x-pod' } });
    // Another owner cannot record a pod on it.
    await store().recordPod(id, 'w2', { namespace: 'x', name: 'y' });
    expect((await t.handle.db.select().from(taskRuns).where(eq(taskRuns.id, id)))[0].podNamespace).toBe('team-a');
    await t.handle.db.update(taskRuns).set({ state: 'failed' }).where(eq(taskRuns.id, id));
    await store().resetForRetry({
      name: row.name,
      attempt: 1,
      state: 'pending',
      plan: row.plan,
      status: pendingTaskRunStatus(new Date()),
      completedAt: null,
    });
    const [retried] = await t.handle.db.select().from(taskRuns).where(eq(taskRuns.id, id));
    expect(retried).toMatchObject({ state: 'pending', executor: null, podNamespace: null });
  });
});
