import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { createPipelineStores } from '../lib/adapters/db/pipeline-stores';
import { pipelineRuns, taskRuns } from '../lib/adapters/db/schema';
import { startBoss } from '../lib/adapters/queue/boss';
import { pgBossPipelineJobs } from '../lib/adapters/queue/pipeline-jobs';
import { applyDocuments } from '../lib/server/pipeline/apply-documents';
import { secretBox } from '../lib/server/security/secret-box';
import { peakStepsRunning } from './peak-steps-running';
import { benchDatabase, benchDeps, benchEngine, fmt, percentile, pipelineRunOf } from './support';

/**
 * `npm run bench:pipelines:workers`: pipeline workers share TaskRuns through the queue and their leases. Runs a
 * 40-task fan-out (40 independent tasks, each a step of `sleep <KEELSON_BENCH_STEP_SECONDS, 1>`) first on one worker
 * process, then on two (each the real `workers/main.ts` with KEELSON_WORKER_CONCURRENCY slots, its own data dir, one
 * Postgres), and prints how many TaskRuns each process ran (counted by the run folders in its data dir) and the wall
 * times, two processes / one.
 */
const ROUNDS = Number(process.env.KEELSON_BENCH_ROUNDS ?? 3);
const SLOTS = Number(process.env.KEELSON_BENCH_SLOTS ?? 4);
const STEP_SECONDS = process.env.KEELSON_BENCH_STEP_SECONDS ?? '1';
const FAN_OUT = 40;

interface WorkerProcess {
  name: string;
  dataDir: string;
  child: ChildProcess;
}

async function startWorker(name: string, dir: string, url: string): Promise<WorkerProcess> {
  const dataDir = path.join(dir, name);
  await mkdir(dataDir, { recursive: true });
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: url,
      KEELSON_DATA_DIR: dataDir,
      KEELSON_SECRET_KEY: 'bench-secret-key-'.repeat(3),
      KEELSON_WORKER_CONCURRENCY: String(SLOTS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready in 60 s:\n${lines.join('\n')}`)), 60_000);
    const read = (chunk: Buffer) => {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      if (lines.some((l) => l.includes('[workers] ready'))) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${lines.join('\n')}`)));
  });
  if (process.env.KEELSON_BENCH_VERBOSE) for (const l of lines) console.error(`[${name}] ${l}`);
  return { name, dataDir, child };
}

async function stopWorker(w: WorkerProcess) {
  const exited = new Promise((r) => w.child.once('exit', r));
  w.child.kill('SIGTERM');
  await exited;
}

async function main() {
  const db = await benchDatabase();
  const boss = await startBoss(db.url);
  const base = benchDeps(db.handle);
  const ed = {
    ...base,
    stores: createPipelineStores(
      db.handle.db,
      base.now,
      pgBossPipelineJobs(() => boss),
    ),
    box: secretBox('bench-secret-key-'.repeat(3)),
    runsDir: path.join(db.dir, 'unused-runs'),
    volumesDir: path.join(db.dir, 'unused-volumes'),
  };
  // Only for the user, RBAC and the starter: the TaskRuns run in the worker processes.
  const { me, starter } = await benchEngine(ed, { run: () => Promise.reject(new Error('not here')) } as never);
  const tasks = Array.from({ length: FAN_OUT }, (_, i) => ({
    name: `t${i}`,
    taskSpec: { steps: [{ name: 'work', image: 'busybox', command: ['sleep', STEP_SECONDS] }] },
  }));
  await applyDocuments(
    ed,
    me,
    { apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'fan40' }, spec: { tasks } },
    ed.box,
  );

  /** One run of the fan-out to its end: wall time, and how many of its TaskRuns each worker's data dir holds. */
  async function runOnce(workers: WorkerProcess[]) {
    const t0 = performance.now();
    const { runs } = await applyDocuments(ed, me, pipelineRunOf('fan40'), ed.box, starter);
    const id = runs[0].id;
    for (;;) {
      const [row] = await db.handle.db
        .select({ done: pipelineRuns.completedAt, reason: pipelineRuns.conditionReason })
        .from(pipelineRuns)
        .where(eq(pipelineRuns.id, id));
      if (row.done) {
        if (row.reason !== 'Succeeded') throw new Error(`the run ended ${row.reason}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const ms = performance.now() - t0;
    const rows = await db.handle.db
      .select({ name: taskRuns.name, status: taskRuns.status })
      .from(taskRuns)
      .where(inArray(taskRuns.pipelineRunId, [id]));
    const names = rows.map((r) => r.name);
    const perWorker = workers.map((w) => names.filter((n) => existsSync(path.join(w.dataDir, 'runs', n))).length);
    return { ms, perWorker, peak: peakStepsRunning(rows.map((r) => r.status)), taskRuns: names.length };
  }

  async function phase(workers: WorkerProcess[]) {
    await runOnce(workers); // warm-up: first spawns, JIT, connection pools
    const walls: number[] = [];
    const counts: number[][] = [];
    const peaks: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const r = await runOnce(workers);
      if (r.taskRuns !== FAN_OUT) throw new Error(`expected ${FAN_OUT} TaskRuns, found ${r.taskRuns}`);
      walls.push(r.ms);
      counts.push(r.perWorker);
      peaks.push(r.peak);
    }
    return { wall: percentile(walls, 50), walls, counts, peaks };
  }

  console.log(
    `${FAN_OUT}-task fan-out, steps of sleep ${STEP_SECONDS} s, ${SLOTS} slots per worker process, ${ROUNDS} runs after a warm-up; ` +
      `machine: ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`,
  );
  const a = await startWorker('worker-a', db.dir, db.url);
  const one = await phase([a]);
  console.log(`\none worker process: wall (median) ${fmt(one.wall)}; runs: ${one.walls.map(fmt).join(', ')}`);
  console.log(
    `  TaskRuns per process: ${one.counts.map((c) => c.join('')).join(', ')}; most steps running at once: ${one.peaks.join(', ')}`,
  );

  const b = await startWorker('worker-b', db.dir, db.url);
  const two = await phase([a, b]);
  console.log(`\ntwo worker processes: wall (median) ${fmt(two.wall)}; runs: ${two.walls.map(fmt).join(', ')}`);
  console.log(
    `  TaskRuns per process (a / b) in each run: ${two.counts.map((c) => c.join(' / ')).join(', ')}; most steps running at once: ${two.peaks.join(', ')}`,
  );
  const shareB = two.counts.map((c) => `${((c[1] / FAN_OUT) * 100).toFixed(0)}%`);
  console.log(`  share of worker-b: ${shareB.join(', ')} (even: 50%)`);
  console.log(`\nratio two processes / one: ${(two.wall / one.wall).toFixed(2)}× the wall time (ideal 0.50×)`);

  await Promise.all([stopWorker(a), stopWorker(b)]);
  await boss.stop({ graceful: false, wait: true });
  await db.stop();
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
