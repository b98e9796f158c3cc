import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq, inArray, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { logChunks, pipelineRuns, taskRuns } from '../../lib/adapters/db/schema';
import { LOGS_REMOVED_ANNOTATION, parseRunRetention } from '../../lib/domain/pipeline/run-retention';
import type {
  TFrozenRunSpec,
  TPipelineRunStatus,
  TStoredPlanInput,
  TTaskRunStatus,
} from '../../lib/domain/pipeline/stored-schemas';
import { pipelineRunFolder, taskRunFolder } from '../../lib/domain/pipeline/run-folders';
import { pendingTaskRunStatus } from '../../lib/domain/pipeline/task-run-status';
import { taskRunResource } from '../../lib/server/pipeline/pipeline-run-resource';
import { removeRunFoldersNamed } from '../../lib/server/pipeline/prune-run-folders';
import { RETENTION_BATCH } from '../../lib/server/system/apply-retention';
import { cleanUpExpired } from '../../lib/server/system/clean-up-expired';
import { testDatabase, type TestDatabase } from './support/test-database';

let t: TestDatabase;
let runsDir: string;
beforeAll(async () => {
  t = await testDatabase();
  runsDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'keelson-retention-')), 'runs');
});

const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);

/** A PipelineRun of `pipeline` with one TaskRun (`<name>-build`), its folders on disk and `chunks` log chunks. */
async function seedRun(name: string, o: { pipeline: string; finished?: Date; created: Date; chunks?: number }) {
  const db = t.handle.db;
  const [run] = await db
    .insert(pipelineRuns)
    .values({
      name,
      pipelineName: o.pipeline,
      spec: {} as TFrozenRunSpec,
      status: {} as TPipelineRunStatus,
      createdBy: 'ci',
      createdAt: o.created,
      startedAt: o.created,
      completedAt: o.finished ?? null,
      conditionStatus: o.finished ? 'True' : 'Unknown',
    })
    .returning();
  const [taskRun] = await db
    .insert(taskRuns)
    .values({
      name: `${name}-build`,
      pipelineRunId: run.id,
      plan: { taskRunName: `${name}-build`, steps: [] } as unknown as TStoredPlanInput,
      status: pendingTaskRunStatus(o.created) as TTaskRunStatus,
      state: o.finished ? 'succeeded' : 'running',
      completedAt: o.finished ?? null,
    })
    .returning();
  await db.execute(sql`insert into log_chunks (task_run_id, step, lines)
    select ${taskRun.id}, 'build', '[{"at":"2026-01-01T00:00:00Z","stream":"stdout","text":"hi"}]'::jsonb
    from generate_series(1, ${o.chunks ?? 1})`);
  for (const folder of [pipelineRunFolder(name), taskRunFolder(`${name}-build`), taskRunFolder(`${name}-build`, 1)]) {
    mkdirSync(path.join(runsDir, folder, 'results'), { recursive: true });
    writeFileSync(path.join(runsDir, folder, 'results', 'out'), 'data');
  }
  return { run, taskRun };
}

const chunkCount = async (taskRunId: string) =>
  (await t.handle.db.select({ id: logChunks.id }).from(logChunks).where(eq(logChunks.taskRunId, taskRunId))).length;

it('removes the logs of TaskRuns finished before KEELSON_LOG_RETENTION_DAYS in batches, keeps the run and marks it', async () => {
  const many = RETENTION_BATCH.chunks * 2 + 7;
  const old = await seedRun('logs-old', {
    pipeline: 'logs',
    created: daysAgo(40),
    finished: daysAgo(40),
    chunks: many,
  });
  const recent = await seedRun('logs-recent', {
    pipeline: 'logs',
    created: daysAgo(2),
    finished: daysAgo(2),
    chunks: 3,
  });
  const running = await seedRun('logs-running', { pipeline: 'logs', created: daysAgo(45), chunks: 2 });

  const result = await cleanUpExpired(t.deps(), {
    deliveryRetentionDays: 14,
    retention: { logRetentionDays: 30, run: {}, removeFolders: (n) => removeRunFoldersNamed(t.deps(), runsDir, n) },
  });

  expect(result).toMatchObject({ logsRemoved: 1, logChunks: many, runsDeleted: 0, folders: 0 });
  expect(await chunkCount(old.taskRun.id)).toBe(0);
  expect(await chunkCount(recent.taskRun.id)).toBe(3);
  expect(await chunkCount(running.taskRun.id)).toBe(2);
  const [row] = await t.handle.db.select().from(taskRuns).where(eq(taskRuns.id, old.taskRun.id));
  expect(row.logsRemovedAt).toBeInstanceOf(Date);
  // The run page reads this annotation and says the logs were removed by retention.
  expect(taskRunResource(row, 'logs-old').metadata.annotations?.[LOGS_REMOVED_ANNOTATION]).toBe(
    row.logsRemovedAt!.toISOString(),
  );
  const [kept] = await t.handle.db.select().from(taskRuns).where(eq(taskRuns.id, recent.taskRun.id));
  expect(taskRunResource(kept, 'logs-recent').metadata.annotations?.[LOGS_REMOVED_ANNOTATION]).toBeUndefined();
  expect(existsSync(path.join(runsDir, 'logs-old+p', 'results', 'out'))).toBe(true);

  // A second pass finds nothing more to do.
  expect(await cleanUpExpired(t.deps(), { deliveryRetentionDays: 14 })).toMatchObject({ logsRemoved: 0, logChunks: 0 });
});

it('keeps the newest N finished runs of each pipeline and deletes older ones with TaskRuns, logs and folders, never a running one', async () => {
  const names = (p: string, n: number) => Array.from({ length: n }, (_, i) => `${p}-${i + 1}`);
  // deploy-1 is the oldest; deploy-4 still runs (not counted, never deleted); web-1..2 belong to another pipeline.
  for (const [i, name] of names('deploy', 5).entries())
    await seedRun(name, {
      pipeline: 'deploy',
      created: daysAgo(10 - i),
      finished: name === 'deploy-4' ? undefined : daysAgo(10 - i),
      chunks: 4,
    });
  for (const [i, name] of names('web', 2).entries())
    await seedRun(name, { pipeline: 'web', created: daysAgo(3 - i), finished: daysAgo(3 - i) });

  const result = await cleanUpExpired(t.deps(), {
    deliveryRetentionDays: 14,
    retention: {
      logRetentionDays: 0,
      run: parseRunRetention('keep=2'),
      removeFolders: (n) => removeRunFoldersNamed(t.deps(), runsDir, n),
    },
  });

  expect(result).toMatchObject({ runsDeleted: 2, logChunks: 8, folders: 6 });
  const left = (await t.handle.db.select({ name: pipelineRuns.name }).from(pipelineRuns)).map((r) => r.name).sort();
  expect(left.filter((n) => n.startsWith('deploy') || n.startsWith('web'))).toEqual([
    'deploy-3',
    'deploy-4',
    'deploy-5',
    'web-1',
    'web-2',
  ]);
  const goneTaskRuns = await t.handle.db
    .select()
    .from(taskRuns)
    .where(inArray(taskRuns.name, ['deploy-1-build', 'deploy-2-build']));
  expect(goneTaskRuns).toEqual([]);
  for (const f of ['deploy-1+p', 'deploy-1-build', 'deploy-1-build+retry-1', 'deploy-2+p', 'deploy-2-build'])
    expect(existsSync(path.join(runsDir, f))).toBe(false);
  for (const f of ['deploy-3+p', 'deploy-4-build', 'deploy-5-build+retry-1', 'web-1-build'])
    expect(existsSync(path.join(runsDir, f, 'results', 'out'))).toBe(true);
});

it('deletes runs finished longer ago than max-age, and a standalone TaskRun too, but not a running run however old', async () => {
  await seedRun('aged-1', { pipeline: 'aged', created: daysAgo(100), finished: daysAgo(95) });
  await seedRun('aged-2', { pipeline: 'aged', created: daysAgo(100) });
  const [standalone] = await t.handle.db
    .insert(taskRuns)
    .values({
      name: 'lonely-task',
      plan: { taskRunName: 'lonely-task', steps: [] } as unknown as TStoredPlanInput,
      status: {} as TTaskRunStatus,
      state: 'failed',
      completedAt: daysAgo(91),
    })
    .returning();
  mkdirSync(path.join(runsDir, 'lonely-task'), { recursive: true });

  const result = await cleanUpExpired(t.deps(), {
    deliveryRetentionDays: 14,
    retention: {
      logRetentionDays: 0,
      run: parseRunRetention('max-age=90d'),
      removeFolders: (n) => removeRunFoldersNamed(t.deps(), runsDir, n),
    },
  });

  expect(result.runsDeleted).toBe(2);
  const left = (await t.handle.db.select({ name: pipelineRuns.name }).from(pipelineRuns)).map((r) => r.name);
  expect(left).toContain('aged-2');
  expect(left).not.toContain('aged-1');
  expect(await t.handle.db.select().from(taskRuns).where(eq(taskRuns.id, standalone.id))).toEqual([]);
  expect(existsSync(path.join(runsDir, 'lonely-task'))).toBe(false);
  expect(existsSync(path.join(runsDir, 'aged-2-build'))).toBe(true);
});

it("never removes a live run's folder: a running PipelineRun named like an expired standalone TaskRun or its retry", async () => {
  const db = t.handle.db;
  await db.insert(taskRuns).values({
    name: 'nightly',
    plan: { taskRunName: 'nightly', steps: [] } as unknown as TStoredPlanInput,
    status: {} as TTaskRunStatus,
    state: 'failed',
    completedAt: daysAgo(200),
  });
  const expired = [taskRunFolder('nightly'), taskRunFolder('nightly', 1)];
  // Other projects' PipelineRuns, running now (names are unique per table only; dots are allowed in PipelineRun names).
  const live = ['nightly', 'nightly.retry-1'];
  for (const name of live) {
    await db.insert(pipelineRuns).values({
      name,
      project: 'team-b',
      spec: {} as TFrozenRunSpec,
      status: {} as TPipelineRunStatus,
      createdBy: 'ci',
      conditionStatus: 'Unknown',
    });
  }
  for (const folder of [...expired, ...live.map(pipelineRunFolder)]) {
    mkdirSync(path.join(runsDir, folder, 'workspaces', 'source'), { recursive: true });
    writeFileSync(path.join(runsDir, folder, 'workspaces', 'source', 'checkout'), 'data');
  }

  await cleanUpExpired(t.deps(), {
    deliveryRetentionDays: 14,
    retention: {
      logRetentionDays: 0,
      run: parseRunRetention('max-age=150d'),
      removeFolders: (n) => removeRunFoldersNamed(t.deps(), runsDir, n),
    },
  });

  for (const folder of expired) expect(existsSync(path.join(runsDir, folder))).toBe(false);
  for (const name of live)
    expect(existsSync(path.join(runsDir, pipelineRunFolder(name), 'workspaces', 'source', 'checkout'))).toBe(true);
});

it('keeps an old finished run while a grandchild TaskRun (Pipelines in Pipelines) still runs', async () => {
  const db = t.handle.db;
  const run = (name: string, parentRunId: string | null) =>
    db
      .insert(pipelineRuns)
      .values({
        name,
        pipelineName: 'nested',
        parentRunId,
        spec: {} as TFrozenRunSpec,
        status: {} as TPipelineRunStatus,
        createdBy: 'ci',
        createdAt: daysAgo(300),
        completedAt: daysAgo(299),
        conditionStatus: 'False',
      })
      .returning();
  const [parent] = await run('nested-1', null);
  const [child] = await run('nested-1-inner', parent.id);
  // Cancelled: the parent and its child PipelineRun finished, the child's TaskRun is still stopping its steps.
  await db.insert(taskRuns).values({
    name: 'nested-1-inner-build',
    pipelineRunId: child.id,
    plan: { taskRunName: 'nested-1-inner-build', steps: [] } as unknown as TStoredPlanInput,
    status: {} as TTaskRunStatus,
    state: 'running',
  });

  await cleanUpExpired(t.deps(), {
    deliveryRetentionDays: 14,
    retention: { logRetentionDays: 0, run: parseRunRetention('max-age=250d') },
  });

  const left = await db.select({ name: pipelineRuns.name }).from(pipelineRuns).where(eq(pipelineRuns.id, parent.id));
  expect(left).toEqual([{ name: 'nested-1' }]);
});
