import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { pipelineRuns, taskRuns } from '../../lib/adapters/db/schema';
import { pruneRunFolders } from '../../lib/server/pipeline/prune-run-folders';
import { testDatabase, type TestDatabase } from './support/test-database';
import type {
  TFrozenRunSpec,
  TPipelineRunStatus,
  TStoredPlanInput,
  TTaskRunStatus,
} from '../../lib/domain/pipeline/stored-schemas';

let t: TestDatabase;
beforeAll(async () => {
  t = await testDatabase();
});

it('removes the folders of finished TaskRuns, deleted runs and old orphans, and keeps what a run may still need', async () => {
  const runsDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'keelson-prune-')), 'runs');
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
  const [run] = await t.handle.db
    .insert(pipelineRuns)
    .values({ name: 'build-1', spec: {} as TFrozenRunSpec, status: {} as TPipelineRunStatus, createdBy: 'ci' })
    .returning();
  const taskRun = (name: string, fields: Partial<typeof taskRuns.$inferInsert>) => ({
    name,
    plan: {} as TStoredPlanInput,
    status: {} as TTaskRunStatus,
    state: 'succeeded' as const,
    ...fields,
  });
  await t.handle.db
    .insert(taskRuns)
    .values([
      taskRun('build-1-old', { pipelineRunId: run.id, completedAt: hoursAgo(2) }),
      taskRun('build-1-recent', { pipelineRunId: run.id, completedAt: hoursAgo(0.1) }),
      taskRun('build-1-running', { pipelineRunId: run.id, state: 'running' }),
      taskRun('standalone', { completedAt: hoursAgo(5) }),
    ]);
  // run-folders.ts: a PipelineRun's folder is `<name>+p`, a TaskRun's `<name>`, its retries `<name>+retry-N`.
  const folders = [
    'build-1+p',
    'build-1-old',
    'build-1-old+retry-1',
    'build-1-recent',
    'build-1-running',
    'standalone',
    'gone-old',
    'gone-old+p',
    'gone-new',
    '.pool',
  ];
  for (const f of folders) {
    mkdirSync(path.join(runsDir, f, 'results'), { recursive: true });
    writeFileSync(path.join(runsDir, f, 'results', 'x'), 'data');
  }
  for (const f of ['gone-old', 'gone-old+p']) utimesSync(path.join(runsDir, f), hoursAgo(1), hoursAgo(1));

  const { removed } = await pruneRunFolders(t.deps(), { runsDir, keepFinishedMs: 3_600_000 });

  expect(removed.sort()).toEqual(['build-1-old', 'build-1-old+retry-1', 'gone-old', 'gone-old+p']);
  for (const f of removed) expect(existsSync(path.join(runsDir, f))).toBe(false);
  for (const f of ['build-1+p', 'build-1-recent', 'build-1-running', 'standalone', 'gone-new', '.pool'])
    expect(existsSync(path.join(runsDir, f, 'results', 'x'))).toBe(true);
});

it('does nothing when the runs folder does not exist yet', async () => {
  expect(
    await pruneRunFolders(t.deps(), { runsDir: path.join(os.tmpdir(), 'keelson-no-such-dir-xyz'), keepFinishedMs: 0 }),
  ).toEqual({ removed: [] });
});
