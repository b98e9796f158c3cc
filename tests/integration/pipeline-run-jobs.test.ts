import { createHmac, randomUUID } from 'node:crypto';
import { and, eq, like } from 'drizzle-orm';
import pg from 'pg';
import { beforeAll, expect, it } from 'vitest';
import { auditLog, pipelineRuns, users } from '../../lib/adapters/db/schema';
import { QUEUES } from '../../lib/adapters/queue/boss';
import type { TransactionJobs } from '../../lib/adapters/db/pipeline-stores';
import { jobId } from '../../lib/adapters/queue/pipeline-jobs';
import { ZFrozenRunSpec } from '../../lib/domain/pipeline/stored-schemas';
import { applyDocuments } from '../../lib/server/pipeline/apply-documents';
import { cancelPipelineRun } from '../../lib/server/pipeline/cancel-pipeline-run';
import { deletePipeline } from '../../lib/server/pipeline/delete-pipeline';
import { deletePipelineRun } from '../../lib/server/pipeline/delete-pipeline-run';
import type { AuthorizedPipelineDeps } from '../../lib/server/pipeline/pipeline-access';
import { rerunPipelineRun } from '../../lib/server/pipeline/rerun-pipeline-run';
import { startPipeline } from '../../lib/server/pipeline/start-pipeline';
import type { Principal } from '../../lib/server/principal';
import { secretBox } from '../../lib/server/security/secret-box';
import { receiveTriggerDelivery } from '../../lib/server/webhooks/receive-trigger-delivery';
import { grantAdmin } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';
import { testJobs } from './support/test-jobs';

/**
 * The use cases that start or change runs queue their pg-boss job and write their audit row in the
 * transaction of the change: all three commit together or not at all, and a retry queues nothing twice.
 */
let t: TestDatabase;
let me: Principal;
const { jobs, boss } = testJobs(() => t.url);
const box = secretBox('run-jobs-test-key-'.repeat(3));
const deps = (): AuthorizedPipelineDeps => t.deps(undefined, jobs);

/** Queues the job for real, then fails: whatever the use case did in its transaction must roll back. */
const failingAfterSend: TransactionJobs = {
  reconcileRun: async (tx, runId, key) => {
    await jobs.reconcileRun(tx, runId, key);
    throw new Error('the worker queue went away');
  },
  executeTaskRun: async (tx, id, key) => {
    await jobs.executeTaskRun(tx, id, key);
    throw new Error('the worker queue went away');
  },
};

async function reconcileJobs(runId: string): Promise<number> {
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `select count(*)::int as n from pgboss.job where name = $1 and data->>'runId' = $2`,
      [QUEUES.reconcilePipelineRun, runId],
    );
    return rows[0].n;
  } finally {
    await client.end();
  }
}

const auditRows = (target: string) => t.handle.db.select().from(auditLog).where(eq(auditLog.target, target));

beforeAll(async () => {
  t = await testDatabase();
  await boss();
  const [u] = await t.handle.db.insert(users).values({ username: 'ops' }).returning();
  me = { userId: u.id, username: 'ops', name: null, role: 'user', groups: [], via: 'token' };
  await grantAdmin(t, 'ops');
  await applyDocuments(
    t.deps(),
    me,
    `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: build }
spec: { tasks: [{ name: t, taskSpec: { steps: [{ name: s, image: alpine, script: 'true' }] } }] }
---
{ apiVersion: v1, kind: Secret, metadata: { name: hook }, stringData: { token: s3cret } }
---
{ apiVersion: keelson.dev/v1alpha1, kind: Trigger, metadata: { name: on-push }, spec: { pipelineRef: { name: build }, provider: github, secretRef: { name: hook, key: token } } }
`,
    box,
  );
});

it('derives one job id per queue and key', () => {
  expect(jobId(QUEUES.reconcilePipelineRun, 'started:a')).toBe(jobId(QUEUES.reconcilePipelineRun, 'started:a'));
  expect(jobId(QUEUES.reconcilePipelineRun, 'started:a')).not.toBe(jobId(QUEUES.reconcilePipelineRun, 'started:b'));
  expect(jobId(QUEUES.reconcilePipelineRun, 'k')).not.toBe(jobId(QUEUES.executeTaskRun, 'k'));
  expect(jobId(QUEUES.executeTaskRun, 'k')).toMatch(
    /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
});

it('start: the run, its audit row and its reconcile job commit together', async () => {
  const run = await startPipeline(deps(), me, 'build', {});
  expect(await reconcileJobs(run.id)).toBe(1);
  expect(await auditRows(`pipelinerun/${run.name}`)).toMatchObject([{ action: 'pipeline.start', actor: 'ops' }]);
});

it('start: when the transaction rolls back, no run, no audit row and no job remain', async () => {
  const before = await t.handle.db.select({ id: pipelineRuns.id }).from(pipelineRuns);
  await expect(startPipeline(t.deps(undefined, failingAfterSend), me, 'build', {})).rejects.toThrow(
    'the worker queue went away',
  );
  const after = await t.handle.db.select({ id: pipelineRuns.id, name: pipelineRuns.name }).from(pipelineRuns);
  expect(after.length).toBe(before.length);
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  const { rows } = await client.query(`select data->>'runId' as id from pgboss.job where name = $1`, [
    QUEUES.reconcilePipelineRun,
  ]);
  await client.end();
  expect(rows.map((r) => r.id).sort()).toEqual(before.map((r) => r.id).sort());
  expect(
    await t.handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'pipeline.start'), like(auditLog.target, 'pipelinerun/%'))),
  ).toHaveLength(before.length);
});

it('cancel: a rolled-back cancel leaves the run, the audit log and the queue as they were', async () => {
  const run = await startPipeline(deps(), me, 'build', {});
  await expect(cancelPipelineRun(t.deps(undefined, failingAfterSend), me, run.name, 'Cancelled')).rejects.toThrow();
  const [row] = await t.handle.db.select().from(pipelineRuns).where(eq(pipelineRuns.id, run.id));
  expect(ZFrozenRunSpec.parse(row.spec).run.status).toBeUndefined();
  expect((await auditRows(`pipelinerun/${run.name}`)).map((a) => a.action)).toEqual(['pipeline.start']);
  expect(await reconcileJobs(run.id)).toBe(1);
});

it('cancel: a retried request queues its reconcile once, and commits with its audit row', async () => {
  const run = await startPipeline(deps(), me, 'build', {});
  await cancelPipelineRun(deps(), me, run.name, 'Cancelled');
  await cancelPipelineRun(deps(), me, run.name, 'Cancelled');
  // One job for the start, one for the cancel, however often the cancel is retried.
  expect(await reconcileJobs(run.id)).toBe(2);
  const [row] = await t.handle.db.select().from(pipelineRuns).where(eq(pipelineRuns.id, run.id));
  expect(ZFrozenRunSpec.parse(row.spec).run.status).toBe('Cancelled');
  expect((await auditRows(`pipelinerun/${run.name}`)).map((a) => a.action).sort()).toEqual([
    'pipeline.start',
    'pipelinerun.cancel',
    'pipelinerun.cancel',
  ]);
});

it('cancel: changing the mode back to an earlier one queues a reconcile for every change', async () => {
  const run = await startPipeline(deps(), me, 'build', {});
  await cancelPipelineRun(deps(), me, run.name, 'StoppedRunFinally');
  await cancelPipelineRun(deps(), me, run.name, 'Cancelled');
  await cancelPipelineRun(deps(), me, run.name, 'StoppedRunFinally');
  expect(await reconcileJobs(run.id)).toBe(4);
});

it('rerun: the new run is queued with its audit row; a rolled-back rerun leaves nothing', async () => {
  const first = await startPipeline(deps(), me, 'build', {});
  const count = async () => (await t.handle.db.select({ id: pipelineRuns.id }).from(pipelineRuns)).length;
  const before = await count();
  await expect(rerunPipelineRun(t.deps(undefined, failingAfterSend), me, first.name)).rejects.toThrow();
  expect(await count()).toBe(before);
  const again = await rerunPipelineRun(deps(), me, first.name);
  expect(await reconcileJobs(again.id)).toBe(1);
  expect(await auditRows(`pipelinerun/${again.name}`)).toMatchObject([
    { action: 'pipelinerun.rerun', details: { from: first.name } },
  ]);
});

it('trigger: a delivery starts and queues one run; its redelivery queues nothing more', async () => {
  const body = JSON.stringify({ ref: 'refs/heads/main', after: randomUUID() });
  const headers = {
    'x-github-event': 'push',
    'x-github-delivery': randomUUID(),
    'x-hub-signature-256': `sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`,
  };
  const first = await receiveTriggerDelivery(deps(), box, 'on-push', headers, body);
  expect(first.outcome).toBe('started');
  expect((await receiveTriggerDelivery(deps(), box, 'on-push', headers, body)).outcome).toBe('duplicate');
  expect(await reconcileJobs(first.run!.id)).toBe(1);
});

it('delete: a PipelineRun and a Pipeline go with their audit rows; a refused delete writes none', async () => {
  const run = await startPipeline(deps(), me, 'build', {});
  await expect(deletePipelineRun(deps(), me, run.name)).rejects.toThrow('still running');
  await t.handle.db.update(pipelineRuns).set({ completedAt: new Date() }).where(eq(pipelineRuns.id, run.id));
  await deletePipelineRun(deps(), me, run.name);
  expect(await t.handle.db.select().from(pipelineRuns).where(eq(pipelineRuns.id, run.id))).toEqual([]);
  expect((await auditRows(`pipelinerun/${run.name}`)).map((a) => a.action).sort()).toEqual([
    'pipeline.start',
    'pipelinerun.delete',
  ]);
  await expect(deletePipeline(deps(), me, 'nothing-here')).rejects.toThrow('No Pipeline named');
  expect(await auditRows('pipeline/nothing-here')).toEqual([]);
  await deletePipeline(deps(), me, 'build');
  expect(await auditRows('pipeline/build')).toMatchObject([{ action: 'pipeline.delete', result: 'success' }]);
});
