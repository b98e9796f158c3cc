import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connectDb, type Db, type DbHandle } from '../lib/adapters/db/client';
import { startEmbeddedPostgres } from '../lib/adapters/db/embedded-postgres';
import { runMigrations } from '../lib/adapters/db/migrate';
import { createPipelineStores } from '../lib/adapters/db/pipeline-stores';
import { createServiceStores } from '../lib/adapters/db/service-stores';
import type { AccessDeps, AccessStores } from '../lib/server/access/ports';
import { users, type TaskRunRow } from '../lib/adapters/db/schema';
import type { TaskRunExecutor } from '../lib/domain/pipeline/task-run-plan';
import type { RunStarter } from '../lib/server/pipeline/apply-documents';
import { createPipelineRun } from '../lib/server/pipeline/create-pipeline-run';
import { createPipelineEngine, type PipelineEngine } from '../lib/server/pipeline/pipeline-engine';
import type { EngineDeps } from '../lib/server/pipeline/reconcile-pipeline-run';
import type { KubernetesChoice } from '../lib/server/pipeline/task-run-executors';
import type { Principal } from '../lib/server/principal';
import { ZTaskRunStatus } from '../lib/domain/pipeline/stored-schemas';

/** The engine's dependencies in a benchmark, with the database its setup writes to directly. */
export type BenchEngineDeps = EngineDeps & AccessDeps & { db: Db; accessStores: AccessStores };

/** The database, the clock and the pipeline stores on that database (no job queue). */
export function benchDeps(handle: DbHandle) {
  const now = () => new Date();
  const { access, accessStores } = createServiceStores(handle.db, now);
  return { db: handle.db, now, stores: createPipelineStores(handle.db, now), access, accessStores };
}

/** A throwaway embedded Postgres, migrated, for a benchmark run. */
export async function benchDatabase(): Promise<{ url: string; handle: DbHandle; dir: string; stop(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'keelson-bench-'));
  const pg = await startEmbeddedPostgres({
    dataDir: dir,
    log: process.env.KEELSON_BENCH_PG_LOG ? (l) => console.error('[pg]', l) : undefined,
  });
  await runMigrations(pg.url);
  const handle = connectDb(pg.url, { max: 20 });
  return {
    url: pg.url,
    handle,
    dir,
    async stop() {
      await handle.close();
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

/**
 * Per TaskRun, from its creation (the engine creates it once its dependencies are done) to its first step's process
 * starting (the step's startedAt: the local executor's spawn, the Tekton entrypoint's start of the step's command).
 */
export function startOverheads(rows: TaskRunRow[]): number[] {
  return rows.map((r) => {
    const started = ZTaskRunStatus.parse(r.status).steps[0]?.terminated?.startedAt;
    if (!started) throw new Error(`TaskRun ${r.name} has no started first step`);
    return Date.parse(started) - r.createdAt.getTime();
  });
}

/**
 * Per TaskRun, from its first step's process starting to the TaskRun being stored as finished (for a step that only
 * runs `true`: the executor noticing the end, collecting results and logs, and cleaning up).
 */
export function endOverheads(rows: TaskRunRow[]): number[] {
  return rows.map((r) => {
    const started = ZTaskRunStatus.parse(r.status).steps[0]?.terminated?.startedAt;
    if (!started || !r.completedAt) throw new Error(`TaskRun ${r.name} has no started first step or no end`);
    return r.completedAt.getTime() - Date.parse(started);
  });
}

/** Overhead of every task that had parents: first step start minus the latest parent completion. */
export function overheads(rows: TaskRunRow[], dag: string[][]): number[] {
  const byTask = new Map(rows.map((r) => [r.pipelineTask!, ZTaskRunStatus.parse(r.status)]));
  const finished = (task: string) => Date.parse(byTask.get(task)!.completionTime!);
  const firstStep = (task: string) => Date.parse(byTask.get(task)!.steps[0].terminated!.startedAt!);
  return dag.slice(1).flatMap((level, l) => level.map((task) => firstStep(task) - Math.max(...dag[l].map(finished))));
}

/**
 * The pipeline engine of the benchmarks (8 slots, no queue), their user, and a starter for their PipelineRuns.
 * `kubernetes`: the Kubernetes executor as Settings → Pipelines would give it (read at every claim).
 */
export async function benchEngine(
  ed: BenchEngineDeps,
  executor: TaskRunExecutor,
  kubernetes?: () => KubernetesChoice,
): Promise<{ engine: PipelineEngine; me: Principal; starter: RunStarter }> {
  const engine = createPipelineEngine({
    ed,
    store: ed.stores.taskRuns,
    executor,
    kubernetes,
    owner: 'bench',
    concurrency: 8,
    enqueue: async () => undefined,
    log: () => undefined,
  });
  const [u] = await ed.db.insert(users).values({ username: 'bench' }).returning();
  const me: Principal = { userId: u.id, username: 'bench', name: null, role: 'user', groups: [], via: 'token' };
  // The benchmark's user applies and starts everything: role:admin.
  await ed.accessStores.rbac.put({ 'policy.csv': 'g, bench, role:admin' }, 'bench');
  const starter: RunStarter = async (tx, doc) => {
    if (doc.kind !== 'PipelineRun') throw new Error('the benchmarks start PipelineRuns only');
    return { kind: 'PipelineRun', ...(await createPipelineRun(tx, doc, 'bench', new Date())) };
  };
  return { engine, me, starter };
}

/** A PipelineRun document of `pipeline` with a generated name, as the benchmarks apply them. */
export const pipelineRunOf = (pipeline: string) => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'PipelineRun',
  metadata: { generateName: `${pipeline}-` },
  spec: { pipelineRef: { name: pipeline } },
});
