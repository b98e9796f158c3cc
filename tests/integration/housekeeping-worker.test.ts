import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiTokens, auditLog, logChunks, pipelineRuns, sessions, taskRuns, users } from '../../lib/adapters/db/schema';
import { QUEUES } from '../../lib/adapters/queue/boss';
import { runWorkers, type RunningWorkers } from '../../workers/run-workers';
import { testDatabase, type TestDatabase } from './support/test-database';

const heartbeatFile = path.join(os.tmpdir(), `keelson-hb-${process.pid}`);
let t: TestDatabase;
let workers: RunningWorkers;
let client: PgBoss;

beforeAll(async () => {
  t = await testDatabase();
  workers = await runWorkers({
    databaseUrl: t.url,
    housekeepingCron: '0 3 * * *',
    logRetentionDays: 7,
    runRetention: { keep: 1 },
    heartbeatFile,
    log: () => undefined,
  });
  client = new PgBoss({ connectionString: t.url, schema: 'pgboss', supervise: false, schedule: false });
  await client.start();
});
afterAll(async () => {
  await client?.stop({ graceful: false, wait: true });
  await workers?.stop();
});

it('schedules housekeeping with pg-boss cron and writes a heartbeat for health checks', async () => {
  expect(existsSync(heartbeatFile)).toBe(true);
  const schedules = await client.getSchedules();
  expect(schedules.map((s) => [s.name, s.cron])).toContainEqual([QUEUES.housekeeping, '0 3 * * *']);
});

it('runs an enqueued housekeeping job in the worker and deletes only what has expired', async () => {
  const db = t.handle.db;
  const [user] = await db.insert(users).values({ username: 'hk-user' }).returning();
  const past = new Date(Date.now() - 3 * 86_400_000);
  const future = new Date(Date.now() + 86_400_000);
  await db.insert(sessions).values([
    { userId: user.id, expiresAt: past },
    { userId: user.id, expiresAt: future },
  ]);
  await db.insert(apiTokens).values([
    { userId: user.id, name: 'expired', prefix: 'kls_a', tokenHash: 'h1', expiresAt: past },
    { userId: user.id, name: 'revoked', prefix: 'kls_b', tokenHash: 'h2', revokedAt: past },
    { userId: user.id, name: 'live', prefix: 'kls_c', tokenHash: 'h3', expiresAt: future },
  ]);

  // A finished run whose logs are past KEELSON_LOG_RETENTION_DAYS (7 here), and a newer one of the same pipeline.
  const old = new Date(Date.now() - 10 * 86_400_000);
  const [run] = await db
    .insert(pipelineRuns)
    .values([
      { name: 'hk-old', pipelineName: 'hk', spec: {}, status: {}, createdBy: 'ci', createdAt: old, completedAt: old },
      { name: 'hk-new', pipelineName: 'hk', spec: {}, status: {}, createdBy: 'ci', completedAt: new Date() },
    ] as (typeof pipelineRuns.$inferInsert)[])
    .returning();
  const [oldTask] = await db
    .insert(taskRuns)
    .values({
      name: 'hk-old-t',
      pipelineRunId: run.id,
      plan: {},
      status: {},
      completedAt: old,
    } as typeof taskRuns.$inferInsert)
    .returning();
  await db.insert(logChunks).values({ taskRunId: oldTask.id, step: 's', lines: [] });

  const jobId = await client.send(QUEUES.housekeeping, {});
  expect(jobId).toBeTruthy();
  let job = await client.getJobById(QUEUES.housekeeping, jobId!);
  for (let i = 0; i < 100 && job?.state !== 'completed'; i++) {
    await new Promise((r) => setTimeout(r, 200));
    job = await client.getJobById(QUEUES.housekeeping, jobId!);
  }
  expect(job?.state).toBe('completed');
  // KEELSON_LOG_RETENTION_DAYS and KEELSON_RUN_RETENTION as the worker was given them: keep=1 deletes hk-old.
  expect(job?.output).toMatchObject({ sessions: 1, tokens: 2, logsRemoved: 1, logChunks: 1, runsDeleted: 1 });
  expect((await db.select({ name: pipelineRuns.name }).from(pipelineRuns)).map((r) => r.name)).toEqual(['hk-new']);

  const left = await db.select({ name: apiTokens.name }).from(apiTokens).where(eq(apiTokens.userId, user.id));
  expect(left.map((r) => r.name)).toEqual(['live']);
  expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(1);
  const audit = await db.select().from(auditLog).where(eq(auditLog.action, 'housekeeping'));
  expect(audit.length).toBeGreaterThanOrEqual(1);
});
