import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { pipelineRuns, taskRuns, users } from '../../lib/adapters/db/schema';
import { createLocalExecutor, type LocalExecutorOptions } from '../../lib/adapters/executors/local';
import { isTaskRunFinished } from '../../lib/domain/pipeline/task-run-states';
import { applyDocuments, type RunStarter } from '../../lib/server/pipeline/apply-documents';
import { createTaskRun } from '../../lib/server/pipeline/create-task-run';
import { createPipelineEngine, type PipelineEngine } from '../../lib/server/pipeline/pipeline-engine';
import type { EngineDeps } from '../../lib/server/pipeline/reconcile-pipeline-run';
import { createPipelineRun } from '../../lib/server/pipeline/create-pipeline-run';
import { readLogs } from '../../lib/server/pipeline/task-run-logs';
import type { Principal } from '../../lib/server/principal';
import { secretBox } from '../../lib/server/security/secret-box';
import { testLocalHost } from './support/local-host';
import type { AuthorizedPipelineDeps } from '../../lib/server/pipeline/pipeline-access';
import { kubernetesSide, onKubernetes } from './pipeline-semantics-kubernetes';
import { grantAdmin } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';
import { testJobs } from './support/test-jobs';

export interface Condition {
  type?: string;
  status: string;
  reason: string;
  message: string;
}

export interface RunStatus {
  conditions: Condition[];
  skippedTasks?: { name: string; reason: string }[];
  childReferences?: { name: string; pipelineTaskName: string }[];
  results?: { name: string; value: unknown }[];
}

export interface TaskRunStatus {
  conditions: Condition[];
  results?: { name: string; type: string; value: unknown }[];
  retriesStatus?: TaskRunStatus[];
  steps?: {
    name: string;
    terminated?: { exitCode: number; reason?: string };
    results?: { name: string; type: string; value: unknown }[];
  }[];
}

export { onKubernetes } from './pipeline-semantics-kubernetes';

/**
 * One engine per test file: real Postgres (a database per file), in-process, with the real local executor; in the
 * `cluster` project (a real node) with the Kubernetes executor as the default, so every TaskRun is a pod there.
 */
export interface Harness {
  t: TestDatabase;
  ed: EngineDeps;
  engine: PipelineEngine;
  me: Principal;
  /** Deps of the use cases that start or change runs: the test database with the real job queue. */
  control: () => AuthorizedPipelineDeps;
}

/** `executor` may be a function, read when the harness starts (after earlier beforeAll hooks ran). */
export function useHarness(options: { executor?: LocalExecutorOptions | (() => LocalExecutorOptions) } = {}): Harness {
  const h = {} as Harness;
  const { jobs } = testJobs(() => h.t.url);
  h.control = () => h.t.deps(undefined, jobs);
  const k8s = onKubernetes ? kubernetesSide() : undefined;
  if (k8s) afterAll(() => k8s.deleteNamespace());
  beforeAll(async () => {
    h.t = await testDatabase();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'keelson-semantics-'));
    h.ed = {
      // With the real job queue: a run that ends admits the next queued run of its concurrency group with a job.
      ...h.t.deps(undefined, jobs),
      box: secretBox('semantics-test-key-'.repeat(3)),
      runsDir: path.join(dir, 'runs'),
      volumesDir: path.join(dir, 'volumes'),
    };
    h.engine = createPipelineEngine({
      ed: h.ed,
      store: h.ed.stores.taskRuns,
      executor: createLocalExecutor(
        testLocalHost,
        typeof options.executor === 'function' ? options.executor() : options.executor,
      ),
      kubernetes: k8s && (() => k8s.choice),
      owner: 'semantics-worker',
      concurrency: 4,
      enqueue: async () => undefined,
      log: () => undefined,
    });
    const [u] = await h.t.handle.db.insert(users).values({ username: 'ci' }).returning();
    h.me = { userId: u.id, username: 'ci', name: null, role: 'user', groups: [], via: 'token' };
    await grantAdmin(h.t, 'ci');
  });
  return h;
}

function starter(h: Harness): RunStarter {
  return async (tx, doc, i) =>
    doc.kind === 'PipelineRun'
      ? { kind: 'PipelineRun', ...(await createPipelineRun(tx, doc, 'ci', new Date(), `documents[${i}].spec`)) }
      : { kind: 'TaskRun', ...(await createTaskRun(h.ed, tx, doc, `documents[${i}].spec`)) };
}

/** Applies YAML or a document object with the real apply path; returns what apply returns. */
export function apply(h: Harness, input: string | unknown) {
  return applyDocuments(h.control(), h.me, input, h.ed.box, starter(h));
}

/**
 * Stores Pipelines of project "default" straight in the definition store, past apply's checks (shapes apply
 * refuses, which the engine must refuse too).
 */
export async function storePipelines(h: Harness, specs: Record<string, unknown>): Promise<void> {
  for (const [name, spec] of Object.entries(specs))
    await h.t.deps().stores.definitions.insert({
      kind: 'Pipeline',
      name,
      project: 'default',
      version: 1,
      createdBy: 'ci',
      document: { apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name }, spec } as never,
    });
}

/** Applies, then starts the (single) PipelineRun the input contains; returns its id and name. */
export async function start(h: Harness, input: string | unknown): Promise<{ id: string; name: string }> {
  const { runs } = await apply(h, input);
  const run = runs.find((r) => r.kind === 'PipelineRun')!;
  await h.engine.advance(run.id);
  return run;
}

/** Applies the input, runs its (single) standalone TaskRun to its end; returns the TaskRun row and its log lines. */
export async function runTaskRun(h: Harness, input: string | unknown) {
  const { runs } = await apply(h, input);
  const run = runs.find((r) => r.kind === 'TaskRun')!;
  await h.engine.execute(run.id);
  const [row] = await h.t.handle.db.select().from(taskRuns).where(eq(taskRuns.id, run.id));
  const lines = await logLines(h, row.id);
  if (process.env.KEELSON_SEMANTICS_DEBUG)
    console.error(`[semantics] ${row.name}: ${row.state} ${JSON.stringify(row.status)}\n  ${lines.join('\n  ')}`);
  return { row, lines };
}

/** Waits allow this much more under the Kubernetes executor (a pod per TaskRun: scheduling, image, init containers). */
const slower = onKubernetes ? 3 : 1;

export async function getRun(h: Harness, id: string) {
  const [run] = await h.t.handle.db.select().from(pipelineRuns).where(eq(pipelineRuns.id, id));
  return run;
}

async function childrenEnded(h: Harness, runId: string): Promise<boolean> {
  const ended = (await children(h, runId)).every((c) => isTaskRunFinished(c.state));
  if (!ended) await new Promise((r) => setTimeout(r, 100));
  return ended;
}

/** KEELSON_SEMANTICS_DEBUG=1: each TaskRun's condition and log of a run that ended, on stderr. */
async function printRun(h: Harness, name: string, id: string): Promise<void> {
  for (const c of await children(h, id))
    console.error(
      `[semantics] ${name} / ${c.name} (${c.executor}): ${c.state} ${JSON.stringify(c.status.conditions?.[0])}\n  ` +
        (await logLines(h, c.id)).join('\n  '),
    );
}

/** Waits for completion, ticking the engine so pipeline-level timeouts fire. */
export async function waitForRun(h: Harness, id: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs * slower;
  let lastTick = 0;
  for (;;) {
    const run = await getRun(h, id);
    // On Kubernetes a TaskRun the run's end cancelled (a pipeline timeout) ends once its pod is gone, which takes a
    // moment more than a local process (as with Tekton); the tests look at both.
    if (run.completedAt && onKubernetes && Date.now() < deadline && !(await childrenEnded(h, id))) continue;
    if (run.completedAt || Date.now() > deadline) {
      if (process.env.KEELSON_SEMANTICS_DEBUG) await printRun(h, run.name, id);
      return { ...run, status: run.status as unknown as RunStatus };
    }
    if (Date.now() - lastTick > 300) {
      lastTick = Date.now();
      await h.engine.tick();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until a TaskRun of the run for pipeline task `task` is in one of the states. */
export async function waitForTask(h: Harness, runId: string, task: string, states: string[], timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs * slower;
  for (;;) {
    const rows = (await children(h, runId)).filter((c) => c.pipelineTask === task);
    if (rows.some((r) => states.includes(r.state)) || Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function children(h: Harness, runId: string) {
  const rows = await h.t.handle.db.select().from(taskRuns).where(eq(taskRuns.pipelineRunId, runId));
  return rows.map((r) => ({ ...r, status: r.status as unknown as TaskRunStatus }));
}

export async function child(h: Harness, runId: string, task: string) {
  const found = (await children(h, runId)).filter((c) => c.pipelineTask === task);
  if (found.length !== 1) throw new Error(`expected one TaskRun for ${task}, found ${found.length}`);
  return found[0];
}

export async function logLines(h: Harness, taskRunId: string): Promise<string[]> {
  return (await readLogs(h.t.deps(), taskRunId)).flatMap((c) => c.lines.map((l) => l.text));
}

export function result(status: TaskRunStatus, name: string): unknown {
  return status.results?.find((r) => r.name === name)?.value;
}

/** A PipelineRun document with an inline pipelineSpec. */
export function pipelineRun(name: string, pipelineSpec: unknown, extra: Record<string, unknown> = {}) {
  return { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name }, spec: { pipelineSpec, ...extra } };
}

/** Expects the promise to reject with an AppError of HTTP `status`; returns the error for further checks. */
export async function rejection(
  p: Promise<unknown>,
): Promise<{ status: number; message: string; details: { issues?: { path: string; message: string }[] } }> {
  try {
    await p;
  } catch (err) {
    return err as never;
  }
  throw new Error('expected a rejection');
}
