import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineRuns, taskRuns, users } from '../../lib/adapters/db/schema';
import { peakStepsRunning } from '../../bench/peak-steps-running';
import { applyDocuments, type RunStarter } from '../../lib/server/pipeline/apply-documents';
import { createPipelineRun } from '../../lib/server/pipeline/create-pipeline-run';
import type { Principal } from '../../lib/server/principal';
import { secretBox } from '../../lib/server/security/secret-box';
import { parseEnv } from '../../lib/env';
import { registerPipelineWorker } from '../../workers/pipelines';
import { grantAdmin } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';
import { testJobs } from './support/test-jobs';

/**
 * A pipeline worker as workers/main.ts wires it (the real job queue, its reconcile jobs and queued TaskRuns) with
 * two slots, given a six-task fan-out: it never runs more than two steps at once, whichever path (the reconcile's
 * own claim, a TaskRun taken off the queue, a freed slot) starts them.
 */
let t: TestDatabase;
let me: Principal;
let stop: (() => void) | undefined;
const box = secretBox('slots-test-key-'.repeat(3));
const { jobs, boss } = testJobs(() => t.url);

beforeAll(async () => {
  t = await testDatabase();
  const [u] = await t.handle.db.insert(users).values({ username: 'ci' }).returning();
  me = { userId: u.id, username: 'ci', name: null, role: 'user', groups: [], via: 'token' };
  await grantAdmin(t, 'ci');
  const e = parseEnv();
  const worker = await registerPipelineWorker(await boss(), t.deps(undefined, jobs), {
    dataDir: await mkdtemp(path.join(os.tmpdir(), 'keelson-slots-')),
    box,
    concurrency: 2,
    host: { spawner: e.KEELSON_STEP_SPAWNER, stepNice: e.KEELSON_STEP_NICE, searchPath: e.PATH },
    log: () => undefined,
  });
  stop = worker.stop;
});
afterAll(() => stop?.());

const starter: RunStarter = async (tx, doc, i) => {
  if (doc.kind !== 'PipelineRun') throw new Error('this test starts PipelineRuns only');
  return { kind: 'PipelineRun', ...(await createPipelineRun(tx, doc, 'ci', new Date(), `documents[${i}].spec`)) };
};

describe('a pipeline worker with two slots', () => {
  it('runs a six-task fan-out at most two steps at a time, every TaskRun on its slots', async () => {
    const tasks = Array.from({ length: 6 }, (_, i) => ({
      name: `t${i}`,
      taskSpec: { steps: [{ name: 'work', image: 'busybox', command: ['sleep', '0.7'] }] },
    }));
    const deps = { ...t.deps(undefined, jobs) };
    await applyDocuments(
      deps,
      me,
      { apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'fan6' }, spec: { tasks } },
      box,
    );
    const { runs } = await applyDocuments(
      deps,
      me,
      {
        apiVersion: 'tekton.dev/v1',
        kind: 'PipelineRun',
        metadata: { name: 'fan6-1' },
        spec: { pipelineRef: { name: 'fan6' } },
      },
      box,
      starter,
    );
    const runId = runs[0].id;
    const deadline = Date.now() + 90_000;
    let done: { completedAt: Date | null; conditionReason: string | null } | undefined;
    while (Date.now() < deadline) {
      [done] = await t.handle.db
        .select({ completedAt: pipelineRuns.completedAt, conditionReason: pipelineRuns.conditionReason })
        .from(pipelineRuns)
        .where(eq(pipelineRuns.id, runId));
      if (done?.completedAt) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(done?.conditionReason).toBe('Succeeded');
    const rows = await t.handle.db
      .select({ status: taskRuns.status, state: taskRuns.state })
      .from(taskRuns)
      .where(eq(taskRuns.pipelineRunId, runId));
    expect(rows.map((r) => r.state)).toEqual(Array(6).fill('succeeded'));
    // Before the fix, the queue's handlers claimed on top of the reconcile's own claim: four at once.
    expect(peakStepsRunning(rows.map((r) => r.status))).toBe(2);
  }, 120_000);
});
