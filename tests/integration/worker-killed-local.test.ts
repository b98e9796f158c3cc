/**
 * A worker killed mid-run under the LOCAL executor, for real: a separate worker process
 * (tests/integration/support/kubernetes-worker-process.ts with no pipeline cluster set, so the local executor) claims
 * a TaskRun and starts its step; once the step's process runs, the worker gets SIGKILL. Then:
 * - every process the dead worker had started (its step spawner, the sandbox, the step's shell and `sleep`) is gone
 *   within seconds: the spawner kills the step's process group when its channel to the worker closes;
 * - another worker's tick (this process, same data dir as workers on one host share) reaps the lease: the TaskRun
 *   fails with TaskRunLeaseExpired, or with `retries: 1` the retry runs here and succeeds;
 * - the dead attempt's run folder, left on disk, is removed by the workers' folder sweep once the TaskRun finished.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { taskRuns, users } from '@/lib/adapters/db/schema';
import { createLocalExecutor } from '@/lib/adapters/executors/local';
import { createPipelineEngine, type PipelineEngine } from '@/lib/server/pipeline/pipeline-engine';
import { pruneRunFolders } from '@/lib/server/pipeline/prune-run-folders';
import type { EngineDeps } from '@/lib/server/pipeline/reconcile-pipeline-run';
import { readLogs } from '@/lib/server/pipeline/task-run-logs';
import type { Principal } from '@/lib/server/principal';
import { secretBox } from '@/lib/server/security/secret-box';
import { applySleepyRun, startWorkerProcess } from './support/killed-worker';
import { testLocalHost } from './support/local-host';
import { grantAdmin } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';
import { testJobs } from './support/test-jobs';

const BOX_KEY = 'worker-killed-local-key-'.repeat(3);
const box = secretBox(BOX_KEY);
/** The dead worker's lease: short, so this test waits seconds for it to run out, not the product's 30. */
const LEASE_MS = 3000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Pids of `root`'s descendants (from /proc), `root` excluded. */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone meanwhile */
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const [child, ppid] of parent) {
      if (ppid !== pid) continue;
      out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out;
}

/** True while `pid` runs (a zombie is dead). */
function alive(pid: number): boolean {
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const cmdline = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
};

describe('a worker process killed mid-run (local executor)', () => {
  let t: TestDatabase;
  let me: Principal;
  let ed: EngineDeps;
  let engine: PipelineEngine;
  let dataDir: string;
  const logs: string[] = [];
  const { jobs } = testJobs(() => t.url);
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    t = await testDatabase();
    const [u] = await t.handle.db.insert(users).values({ username: 'ops' }).returning();
    me = { userId: u.id, username: 'ops', name: null, role: 'user', groups: [], via: 'token' };
    await grantAdmin(t, 'ops');
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'keelson-worker-killed-local-'));
    ed = {
      ...t.deps(undefined, jobs),
      box,
      runsDir: path.join(dataDir, 'runs'),
      volumesDir: path.join(dataDir, 'volumes'),
    };
    // The surviving worker, on the same data dir: it claims what the reconcile retries, with the same short lease.
    engine = createPipelineEngine({
      ed,
      store: ed.stores.taskRuns,
      executor: createLocalExecutor(testLocalHost),
      owner: 'surviving-worker',
      concurrency: 2,
      enqueue: async (id) => void engine.take(id),
      leaseMs: LEASE_MS,
      log: (l) => logs.push(l),
    });
  });

  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  const applyRun = (retries: number, marker: number) =>
    applySleepyRun(t.deps(undefined, jobs), ed, me, {
      name: `killed-local-${retries}`,
      retries,
      sleepCommand: `sleep ${marker}`,
    });

  const rowsOf = (runId: string) => t.handle.db.select().from(taskRuns).where(eq(taskRuns.pipelineRunId, runId));

  /**
   * Starts a worker process on the run, waits until its step's `sleep <marker>` runs, and kills the worker with
   * SIGKILL; returns the TaskRun row and the processes the worker had started.
   */
  async function killWorkerMidStep(runId: string, owner: string, marker: number) {
    const { child, out } = startWorkerProcess({
      WORKER_DATABASE_URL: t.url,
      WORKER_BOX_KEY: BOX_KEY,
      WORKER_REGISTRY: '127.0.0.1:9', // no pipeline cluster is set: never used
      WORKER_OWNER: owner,
      WORKER_LEASE_MS: String(LEASE_MS),
      WORKER_PIPELINE_RUN: runId,
      WORKER_DATA_DIR: dataDir,
    });
    children.push(child);
    const pid = child.pid!;
    const until = Date.now() + 45_000;
    let started: number[] = [];
    while (Date.now() < until && child.exitCode === null) {
      started = descendants(pid);
      if (started.some((p) => cmdline(p) === `sleep ${marker} `)) break;
      await sleep(200);
    }
    expect(
      started.map(cmdline).some((c) => c === `sleep ${marker} `),
      `the step's sleep never ran:\n${out.text}`,
    ).toBe(true);
    const rows = await rowsOf(runId);
    expect(rows.map((r) => [r.state, r.leaseOwner, r.executor])).toEqual([['running', owner, 'local']]);
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    return { row: rows[0], started };
  }

  /** Every process the dead worker started ends within seconds (none keeps running its step). */
  async function expectAllGone(started: number[]) {
    const until = Date.now() + 10_000;
    while (started.some(alive) && Date.now() < until) await sleep(100);
    expect(started.filter(alive).map((p) => `${p}: ${cmdline(p)}`)).toEqual([]);
  }

  /** The workers' folder sweep (keep finished TaskRuns' folders 0 ms) removes the dead attempt's folder. */
  async function expectFolderSwept(name: string) {
    const folder = path.join(ed.runsDir, name);
    expect(existsSync(folder), 'the dead worker left its run folder').toBe(true);
    await pruneRunFolders({ now: ed.now, stores: ed.stores }, { runsDir: ed.runsDir, keepFinishedMs: 0 });
    expect(readdirSync(ed.runsDir).filter((e) => e.startsWith(name))).toEqual([]);
  }

  it('without retries: step processes end with the worker, the TaskRun fails TaskRunLeaseExpired', async () => {
    const run = await applyRun(0, 377);
    const { row, started } = await killWorkerMidStep(run.id, 'doomed-local-1', 377);
    await expectAllGone(started);
    await sleep(LEASE_MS + 500);
    await engine.tick();
    const [reaped] = await t.handle.db.select().from(taskRuns).where(eq(taskRuns.id, row.id));
    expect(reaped.state).toBe('failed');
    expect(reaped.status.conditions?.[0]).toMatchObject({ status: 'False', reason: 'TaskRunLeaseExpired' });
    expect(logs.join('\n')).toContain(`TaskRun ${row.name}: lease expired, marked failed`);
    await expectFolderSwept(row.name);
  }, 90_000);

  it('with retries: 1 the surviving worker runs the retry, which succeeds', async () => {
    const run = await applyRun(1, 388);
    const { row, started } = await killWorkerMidStep(run.id, 'doomed-local-2', 388);
    await expectAllGone(started);
    await sleep(LEASE_MS + 500);
    const until = Date.now() + 60_000;
    let [now] = await rowsOf(run.id);
    while (!(now.state === 'succeeded' || (now.completedAt && now.attempt > 0)) && Date.now() < until) {
      await engine.tick();
      await sleep(300);
      [now] = await rowsOf(run.id);
    }
    expect([now.state, now.attempt], JSON.stringify(now.status)).toEqual(['succeeded', 1]);
    expect(now.status.retriesStatus?.[0]?.conditions?.[0]).toMatchObject({ reason: 'TaskRunLeaseExpired' });
    const text = (await readLogs(t.deps(), now.id)).flatMap((c) => c.lines.map((l) => l.text));
    expect(text).toEqual(expect.arrayContaining(['attempt 1', 'done']));
    await expectFolderSwept(row.name);
  }, 120_000);
});
