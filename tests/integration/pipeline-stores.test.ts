import { eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { auditLog, pipelineRuns } from '../../lib/adapters/db/schema';
import type { TransactionJobs } from '../../lib/adapters/db/pipeline-stores';
import type { PipelineStores } from '../../lib/server/pipeline/ports';
import { testDatabase, type TestDatabase } from './support/test-database';

/**
 * The Drizzle unit of work of the pipeline stores (lib/adapters/db/pipeline-stores.ts): one transaction
 * hands out the stores, the audit log and the job queue bound to it, and the reconcile's lock holds.
 */
let t: TestDatabase;
const sent: { runId: string; key: string; inTransaction: boolean }[] = [];
/** Records each send, and whether it was given a transaction's handle (not the pool). */
const recordingJobs: TransactionJobs = {
  reconcileRun: async (tx, runId, key) => void sent.push({ runId, key, inTransaction: tx !== t.handle.db }),
  executeTaskRun: async (tx, runId, key) => void sent.push({ runId, key, inTransaction: tx !== t.handle.db }),
};
const stores = (): PipelineStores => t.deps(undefined, recordingJobs).stores;

beforeAll(async () => {
  t = await testDatabase();
});

async function storeRun(s: Pick<PipelineStores, 'runs'>, name: string) {
  const now = new Date();
  return s.runs.insert({
    name,
    pipelineName: null,
    pipelineVersion: null,
    spec: { run: {}, pipelineSpec: { tasks: [] }, taskSpecs: {} },
    status: { conditions: [] },
    conditionStatus: 'Unknown',
    conditionReason: 'Started',
    createdBy: 'ci',
    createdAt: now,
    startedAt: now,
  });
}

const auditRows = (target: string) => t.handle.db.select().from(auditLog).where(eq(auditLog.target, target));

it('commits the writes, the audit row and the job of one transaction together', async () => {
  const run = await stores().transaction(async (tx) => {
    const created = await storeRun(tx, 'uow-commit');
    await tx.audit.record({ actor: 'ci', action: 'test.commit', target: 'pipelinerun/uow-commit', result: 'success' });
    await tx.jobs.reconcileRun(created.id, 'k-commit');
    return created;
  });
  expect(await stores().runs.findByName('uow-commit')).toMatchObject({ id: run.id });
  expect(await auditRows('pipelinerun/uow-commit')).toMatchObject([{ action: 'test.commit' }]);
  expect(sent).toContainEqual({ runId: run.id, key: 'k-commit', inTransaction: true });
});

it('rolls back the writes and the audit row when the work throws', async () => {
  await expect(
    stores().transaction(async (tx) => {
      await storeRun(tx, 'uow-rollback');
      await tx.audit.record({
        actor: 'ci',
        action: 'test.rollback',
        target: 'pipelinerun/uow-rollback',
        result: 'success',
      });
      throw new Error('changed my mind');
    }),
  ).rejects.toThrow('changed my mind');
  expect(await stores().runs.findByName('uow-rollback')).toBeUndefined();
  expect(await auditRows('pipelinerun/uow-rollback')).toEqual([]);
});

it('refuses to send a job when no queue was wired', async () => {
  await expect(t.deps().stores.transaction((tx) => tx.jobs.reconcileRun('x', 'k'))).rejects.toThrow('no job queue');
});

it('lockForReconcile holds the run until the commit, and skips a finished run', async () => {
  const run = await storeRun(stores(), 'uow-lock');
  const order: string[] = [];
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const first = stores().transaction(async (tx) => {
    expect(await tx.runs.lockForReconcile(run.id)).toMatchObject({ id: run.id });
    locked();
    await held;
    order.push('first done');
  });
  await isLocked;
  const second = stores().transaction(async (tx) => {
    await tx.runs.lockForReconcile(run.id);
    order.push('second locked');
  });
  await new Promise((r) => setTimeout(r, 200));
  order.push('released');
  release();
  await Promise.all([first, second]);
  expect(order).toEqual(['released', 'first done', 'second locked']);

  await t.handle.db.update(pipelineRuns).set({ completedAt: new Date() }).where(eq(pipelineRuns.id, run.id));
  expect(await stores().transaction((tx) => tx.runs.lockForReconcile(run.id))).toBeUndefined();
});

it('asyncCommit sets synchronous_commit off for that transaction only', async () => {
  // The job queue is handed the transaction's connection: ask it for the setting there.
  let seen = '';
  const showing: TransactionJobs = {
    ...recordingJobs,
    reconcileRun: async (tx) => {
      const { rows } = await tx.execute<{ synchronous_commit: string }>(sql`show synchronous_commit`);
      seen = rows[0].synchronous_commit;
    },
  };
  const showingStores = t.deps(undefined, showing).stores;
  await showingStores.transaction((tx) => tx.jobs.reconcileRun('x', 'k'), { asyncCommit: true });
  expect(seen).toBe('off');
  await showingStores.transaction((tx) => tx.jobs.reconcileRun('x', 'k'));
  expect(seen).toBe('on');
});
