import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { pipelineRuns, taskRuns, users } from '../../lib/adapters/db/schema';
import { createLocalExecutor } from '../../lib/adapters/executors/local';
import { applyDocuments, type RunStarter } from '../../lib/server/pipeline/apply-documents';
import { createTaskRun } from '../../lib/server/pipeline/create-task-run';
import { createPipelineEngine, type PipelineEngine } from '../../lib/server/pipeline/pipeline-engine';
import { reconcilePipelineRun, type EngineDeps } from '../../lib/server/pipeline/reconcile-pipeline-run';
import { createPipelineRun } from '../../lib/server/pipeline/create-pipeline-run';
import { readLogs } from '../../lib/server/pipeline/task-run-logs';
import type { Principal } from '../../lib/server/principal';
import { secretBox } from '../../lib/server/security/secret-box';
import { testLocalHost } from './support/local-host';
import { grantAdmin } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';

let t: TestDatabase;
let ed: EngineDeps;
let engine: PipelineEngine;
let me: Principal;

beforeAll(async () => {
  t = await testDatabase();
  await grantAdmin(t, 'ci');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'keelson-engine-'));
  ed = {
    ...t.deps(),
    box: secretBox('engine-test-key-'.repeat(3)),
    runsDir: path.join(dir, 'runs'),
    volumesDir: path.join(dir, 'volumes'),
  };
  engine = createPipelineEngine({
    ed,
    store: ed.stores.taskRuns,
    executor: createLocalExecutor(testLocalHost),
    owner: 'test-worker',
    concurrency: 4,
    enqueue: async () => undefined,
    log: () => undefined,
  });
  const [u] = await t.handle.db.insert(users).values({ username: 'ci' }).returning();
  me = { userId: u.id, username: 'ci', name: null, role: 'user', groups: [], via: 'token' };
});

const starter: RunStarter = async (tx, doc, i) =>
  doc.kind === 'PipelineRun'
    ? { kind: 'PipelineRun', ...(await createPipelineRun(tx, doc, 'ci', new Date(), `documents[${i}].spec`)) }
    : { kind: 'TaskRun', ...(await createTaskRun(ed, tx, doc, `documents[${i}].spec`)) };

async function waitForRun(id: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [run] = await t.handle.db.select().from(pipelineRuns).where(eq(pipelineRuns.id, id));
    if (run.completedAt || Date.now() > deadline) return run;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('pipeline engine with the local executor', () => {
  it('runs a DAG: passes a result on, skips a when-guarded task, runs finally with the statuses', async () => {
    const yaml = readFileSync('tests/fixtures/pipelines/guarded.yaml', 'utf8');
    const { runs, applied } = await applyDocuments(t.deps(), me, yaml, ed.box, starter);
    expect(applied.map((a) => a.kind)).toEqual(['Task', 'Task', 'Pipeline', 'PipelineRun']);
    expect(runs[0].name).toMatch(/^guarded-run-[a-z0-9]{5}$/);
    await engine.advance(runs[0].id);
    const run = await waitForRun(runs[0].id);
    const status = run.status as {
      conditions: { status: string; reason: string; message: string }[];
      skippedTasks: { name: string; reason: string }[];
      childReferences: { name: string; pipelineTaskName: string }[];
    };
    expect(status.conditions[0]).toMatchObject({
      status: 'True',
      reason: 'Completed',
      message: 'Tasks Completed: 3 (Failed: 0, Cancelled 0), Skipped: 1',
    });
    expect(status.skippedTasks).toEqual([{ name: 'deploy', reason: 'When Expressions evaluated to false' }]);
    expect(status.childReferences.map((c) => c.pipelineTaskName).sort()).toEqual(['consume', 'produce', 'report']);
    const children = await t.handle.db.select().from(taskRuns).where(eq(taskRuns.pipelineRunId, run.id));
    const report = children.find((c) => c.pipelineTask === 'report')!;
    const lines = (await readLogs(t.deps(), report.id)).flatMap((c) => c.lines.map((l) => l.text));
    expect(lines).toContain('pipeline Completed, consume Succeeded');
    const consume = children.find((c) => c.pipelineTask === 'consume')!;
    expect((await readLogs(t.deps(), consume.id)).flatMap((c) => c.lines.map((l) => l.text))).toContain(
      'got hello-world',
    );
  });

  it('fails the run when a step fails, skips dependents as "Parent Tasks were skipped", and records the exit code', async () => {
    const doc = {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: 'failing-run' },
      spec: {
        pipelineSpec: {
          tasks: [
            {
              name: 'boom',
              taskSpec: { steps: [{ name: 'fail', image: 'alpine', script: 'echo about to fail\nexit 3' }] },
            },
            {
              name: 'after',
              runAfter: ['boom'],
              taskSpec: { steps: [{ name: 'never', image: 'alpine', script: 'echo never' }] },
            },
          ],
        },
      },
    };
    const { runs } = await applyDocuments(t.deps(), me, doc, ed.box, starter);
    await engine.advance(runs[0].id);
    const run = await waitForRun(runs[0].id);
    expect(run.conditionStatus).toBe('False');
    expect(run.conditionReason).toBe('Failed');
    expect((run.status as { skippedTasks: unknown[] }).skippedTasks).toEqual([
      { name: 'after', reason: 'Parent Tasks were skipped' },
    ]);
    const [boom] = await t.handle.db.select().from(taskRuns).where(eq(taskRuns.name, 'failing-run-boom'));
    expect(boom.state).toBe('failed');
    expect((boom.status as { steps: { terminated: { exitCode: number } }[] }).steps[0].terminated.exitCode).toBe(3);
  });

  it('runs a standalone TaskRun', async () => {
    const doc = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: { name: solo }
spec:
  params: [{ name: n, value: "42" }]
  taskSpec:
    params: [{ name: n }]
    results: [{ name: doubled }]
    steps:
      - name: calc
        image: alpine
        script: echo $(( $(params.n) * 2 )) | tr -d '\\n' > $(results.doubled.path)
`;
    const { runs } = await applyDocuments(t.deps(), me, doc, ed.box, starter);
    await engine.execute(runs[0].id);
    const [row] = await t.handle.db.select().from(taskRuns).where(eq(taskRuns.name, 'solo'));
    expect(row.state).toBe('succeeded');
    expect((row.status as { results: unknown[] }).results).toEqual([{ name: 'doubled', type: 'string', value: '84' }]);
  });
});

describe('reconcile with free slots (claim on create)', () => {
  it('creates up to the free slots already claimed, with a lease and a Running status; the rest stay pending', async () => {
    const step = { name: 'noop', image: 'busybox', command: ['true'] };
    const pipeline = {
      apiVersion: 'tekton.dev/v1',
      kind: 'Pipeline',
      metadata: { name: 'claim-fan' },
      spec: { tasks: ['a', 'b', 'c'].map((name) => ({ name, taskSpec: { steps: [step] } })) },
    };
    await applyDocuments(t.deps(), me, pipeline, ed.box);
    const { runs } = await applyDocuments(
      t.deps(),
      me,
      {
        apiVersion: 'tekton.dev/v1',
        kind: 'PipelineRun',
        metadata: { generateName: 'claim-fan-' },
        spec: { pipelineRef: { name: 'claim-fan' } },
      },
      ed.box,
      starter,
    );
    const result = await reconcilePipelineRun(ed, runs[0].id, { owner: 'slot-owner', leaseMs: 30_000, max: 2 });
    expect(result.claimed).toHaveLength(2);
    expect(result.dispatch).toHaveLength(1);
    const rows = await t.handle.db.select().from(taskRuns).where(eq(taskRuns.pipelineRunId, runs[0].id));
    const running = rows.filter((r) => r.state === 'running');
    expect(running.map((r) => r.id).sort()).toEqual(result.claimed.map((r) => r.id).sort());
    for (const r of running) {
      expect(r.leaseOwner).toBe('slot-owner');
      expect(r.leaseExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 20_000);
      expect((r.status as { conditions: { reason: string }[] }).conditions[0].reason).toBe('Running');
    }
    expect(rows.filter((r) => r.state === 'pending').map((r) => r.id)).toEqual(result.dispatch);
    // A second reconcile creates nothing more and claims nothing.
    const again = await reconcilePipelineRun(ed, runs[0].id, { owner: 'slot-owner', leaseMs: 30_000, max: 8 });
    expect(again.claimed).toEqual([]);
    expect(again.dispatch).toEqual([]);
  });
});
