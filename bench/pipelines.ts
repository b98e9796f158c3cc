import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { pipelineRuns, taskRuns } from '../lib/adapters/db/schema';
import { createLocalExecutor, createLocalHost } from '../lib/adapters/executors/local';
import { parseEnv } from '../lib/env';
import { applyDocuments } from '../lib/server/pipeline/apply-documents';
import type { KubernetesChoice } from '../lib/server/pipeline/task-run-executors';
import { secretBox } from '../lib/server/security/secret-box';
import {
  benchDatabase,
  benchDeps,
  benchEngine,
  type BenchEngineDeps,
  fmt,
  overheads,
  percentile,
  startOverheads,
  endOverheads,
} from './support';
import { measureLogLatency } from './log-latency';
import { type BenchCluster, startBenchCluster } from './pipelines-kubernetes';

/**
 * `npm run bench:pipelines`: the local executor's scheduling overhead per task (from the moment a
 * task's last dependency finished to the moment its first step started), on a 50-task DAG and on 20
 * concurrent 10-task runs, plus log latency from a step's write to an SSE client.
 *
 * `npm run bench:pipelines -- --executor kubernetes`: also starts the test cluster with its real node and runs the
 * 50-task DAG and the 50-task chain again with every TaskRun a pod there, printing per-TaskRun overhead (created →
 * first step's process started) and wall times of both executors from the same run, with their ratios.
 */
const executorArg = process.argv.includes('--executor')
  ? process.argv[process.argv.indexOf('--executor') + 1]
  : 'local';
if (executorArg !== 'local' && executorArg !== 'kubernetes') {
  console.error(`--executor ${executorArg}: use "local" (the default) or "kubernetes"`);
  process.exit(2);
}
const withKubernetes = executorArg === 'kubernetes';

type Level = string[];

/** Levels of a DAG, each task depending on every task of the level before: fan-out, fan-in, fan-out… */
function levels(sizes: number[]): Level[] {
  return sizes.map((n, l) => Array.from({ length: n }, (_, i) => `l${l}-t${i}`));
}

function pipelineDoc(name: string, dag: Level[]) {
  const tasks = dag.flatMap((level, l) =>
    level.map((task) => ({
      name: task,
      runAfter: l === 0 ? undefined : dag[l - 1],
      taskSpec: { steps: [{ name: 'noop', image: 'busybox', command: ['true'] }] },
    })),
  );
  return { apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name }, spec: { tasks } };
}

async function main() {
  for (const ev of ['SIGHUP', 'SIGINT', 'SIGTERM', 'beforeExit'] as const)
    process.on(ev, () => console.error(`[bench] got ${ev}`));
  // First, so that the machine is quiet again (apiserver, node) when the local figures are taken.
  let bench: BenchCluster | undefined;
  if (withKubernetes) {
    const t0 = performance.now();
    bench = await startBenchCluster((l) => void (process.env.KEELSON_BENCH_VERBOSE ? console.error(l) : undefined));
    console.error(`[bench] test cluster with its real node usable in ${fmt(performance.now() - t0)}`);
  }
  const db = await benchDatabase();
  const ed: BenchEngineDeps = {
    ...benchDeps(db.handle),
    box: secretBox('bench-key-'.repeat(4)),
    runsDir: path.join(db.dir, 'runs'),
    volumesDir: path.join(db.dir, 'volumes'),
  };
  const e = parseEnv();
  const executor = createLocalExecutor(
    createLocalHost({ spawner: e.KEELSON_STEP_SPAWNER, stepNice: e.KEELSON_STEP_NICE, searchPath: e.PATH }),
  );
  const sandbox = (await executor.sandboxStatus()).sandbox;
  // Which executor the engine's claims pick, as Settings → Pipelines would say (undefined: the local executor).
  let k8s: KubernetesChoice;
  const { engine, me, starter } = await benchEngine(ed, executor, () => k8s);

  async function runToEnd(pipeline: string, count: number) {
    const runs = [];
    for (let i = 0; i < count; i++) {
      const { runs: started } = await applyDocuments(
        ed,
        me,
        {
          apiVersion: 'tekton.dev/v1',
          kind: 'PipelineRun',
          metadata: { generateName: `${pipeline}-` },
          spec: { pipelineRef: { name: pipeline } },
        },
        ed.box,
        starter,
      );
      runs.push(started[0]);
    }
    const t0 = performance.now();
    await Promise.all(runs.map((r) => engine.advance(r.id)));
    for (;;) {
      const rows = await db.handle.db
        .select({ done: pipelineRuns.completedAt, reason: pipelineRuns.conditionReason })
        .from(pipelineRuns)
        .where(
          inArray(
            pipelineRuns.id,
            runs.map((r) => r.id),
          ),
        );
      if (rows.every((r) => r.done)) {
        const failed = rows.filter((r) => r.reason !== 'Succeeded');
        if (failed.length) throw new Error(`${failed.length} runs did not succeed: ${failed[0].reason}`);
        return { ms: performance.now() - t0, ids: runs.map((r) => r.id) };
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  console.log(
    `sandbox: ${sandbox}; ${process.env.KEELSON_BENCH_QUIET ? '' : `machine: ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`}`,
  );

  // 1. One 50-task DAG: 1 → 8 → 1 → 8 … (mixed fan-out and fan-in), critical path of 11 tasks.
  const dag = levels([1, 8, 1, 8, 1, 8, 1, 8, 1, 8, 5]);
  await applyDocuments(ed, me, pipelineDoc('dag50', dag), ed.box);

  /** Rounds of the DAG one after another on the executor the claims pick now; every TaskRun checked to be on it. */
  async function dagRounds(rounds: number, expected: 'local' | 'kubernetes') {
    await runToEnd('dag50', 1); // warm-up: first spawns (pulls, on Kubernetes), JIT, connection pool
    const o: number[] = [];
    const created: number[] = [];
    const walls: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const one = await runToEnd('dag50', 1);
      walls.push(one.ms);
      const rows = await db.handle.db.select().from(taskRuns).where(eq(taskRuns.pipelineRunId, one.ids[0]));
      const elsewhere = rows.filter((r) => r.executor !== expected);
      if (elsewhere.length) throw new Error(`${elsewhere.length} TaskRuns ran on ${elsewhere[0].executor}`);
      o.push(...overheads(rows, dag));
      created.push(...startOverheads(rows));
    }
    return { o, created, wall: percentile(walls, 50) };
  }

  // Several runs one after another: one run gives only 49 samples, too few on a noisy machine.
  const rounds = Number(process.env.KEELSON_BENCH_ROUNDS ?? 5);
  const local = await dagRounds(rounds, 'local');
  const { o } = local;
  const one = { ms: local.wall };
  const script = dag.map((level) => `${level.map(() => 'true &').join(' ')} wait`).join('\n');
  const b0 = performance.now();
  execFileSync('bash', ['-c', script]);
  const bashMs = performance.now() - b0;
  console.log(`\n50-task DAG, ${rounds} runs one after another (${o.length} tasks with dependencies), local executor:`);
  console.log(
    `  overhead per task (last dependency done → first step started): p50 ${fmt(percentile(o, 50))}, p99 ${fmt(percentile(o, 99))}, max ${fmt(Math.max(...o))}`,
  );
  console.log(
    `  per TaskRun (created → first step's process started): p50 ${fmt(percentile(local.created, 50))}, p99 ${fmt(percentile(local.created, 99))}`,
  );
  console.log(
    `  wall time (median run) ${fmt(one.ms)}; same critical path as a bash script ${fmt(bashMs)}; ratio ${(one.ms / bashMs).toFixed(1)}×`,
  );
  console.log(
    `  per TaskRun ${fmt(one.ms / 50)} (Tekton: ~5000 ms of pod start-up per TaskRun → ${(5000 / (one.ms / 11)).toFixed(0)}× on the critical path)`,
  );

  // 1b. The same 50 tasks as one chain: no fan-out, so no step start-ups compete for the 2 cores and
  // the figure is the engine's own hand-over cost.
  const chain = levels(Array.from({ length: 50 }, () => 1));
  await applyDocuments(ed, me, pipelineDoc('chain50', chain), ed.box);
  async function chainRun() {
    const chained = await runToEnd('chain50', 1);
    const chainRows = await db.handle.db.select().from(taskRuns).where(eq(taskRuns.pipelineRunId, chained.ids[0]));
    return {
      ms: chained.ms,
      o: overheads(chainRows, chain),
      created: startOverheads(chainRows),
      ended: endOverheads(chainRows),
    };
  }
  const localChain = await chainRun();
  const oc = localChain.o;
  const chainBash0 = performance.now();
  execFileSync('bash', ['-c', chain.map(() => 'true').join('\n')]);
  const chainBash = performance.now() - chainBash0;
  console.log(
    `\n50-task chain: overhead per task p50 ${fmt(percentile(oc, 50))}, p99 ${fmt(percentile(oc, 99))}; wall ${fmt(localChain.ms)} vs bash ${fmt(chainBash)} (${(localChain.ms / chainBash).toFixed(1)}×)`,
  );

  if (bench) {
    // 1k. The same DAG and chain with every TaskRun a pod on the real node.
    k8s = bench.kubernetes.choice;
    const kRounds = Number(process.env.KEELSON_BENCH_K8S_ROUNDS ?? 3);
    const kube = await dagRounds(kRounds, 'kubernetes');
    const kubeChain = await chainRun();
    k8s = undefined;
    printComparison({ local, kube, localChain, kubeChain, rounds, kRounds });
    console.log(
      `  load average at the end (1, 5, 15 min): ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(', ')} on ${os.cpus().length} cores`,
    );
    await bench.stop();
    await db.stop();
    process.exit(0);
  }

  // 2. 20 concurrent PipelineRuns of 10 tasks (1 → 8 → 1).
  const small = levels([1, 8, 1]);
  await applyDocuments(ed, me, pipelineDoc('ten', small), ed.box);
  const many = await runToEnd('ten', 20);
  const all = await db.handle.db.select().from(taskRuns).where(inArray(taskRuns.pipelineRunId, many.ids));
  const o20 = many.ids.flatMap((id) =>
    overheads(
      all.filter((r) => r.pipelineRunId === id),
      small,
    ),
  );
  console.log(`\n20 concurrent PipelineRuns × 10 tasks: all ${many.ids.length} finished in ${fmt(many.ms)}`);
  console.log(
    `  overhead per task: p50 ${fmt(percentile(o20, 50))}, p99 ${fmt(percentile(o20, 99))} (8 worker slots, so tasks also wait for a free slot)`,
  );

  // 3. Log latency through the real HTTP server's SSE endpoint.
  if (!process.env.KEELSON_BENCH_SKIP_LOGS) await measureLogLatency(process.env.KEELSON_BENCH_URL);

  await db.stop();
  process.exit(0);
}

interface Figures {
  o: number[];
  created: number[];
}

/** Both executors' figures from this run, side by side, with kubernetes / local ratios and Tekton's reference. */
function printComparison(f: {
  local: Figures & { wall: number };
  kube: Figures & { wall: number };
  localChain: Figures & { ms: number; ended: number[] };
  kubeChain: Figures & { ms: number; ended: number[] };
  rounds: number;
  kRounds: number;
}) {
  const p = (xs: number[], q: number) => percentile(xs, q);
  const ratio = (k: number, l: number) => `${(k / l).toFixed(1)}×`;
  const row = (what: string, l: number, k: number) =>
    console.log(`  ${what.padEnd(58)} ${fmt(l).padStart(11)} ${fmt(k).padStart(11)} ${ratio(k, l).padStart(9)}`);
  console.log(
    `\nKubernetes executor (a pod per TaskRun on the real node: kubelet + containerd + runc, Tekton's entrypoint), ` +
      `50-task DAG ${f.kRounds} runs (local ${f.rounds}), 50-task chain 1 run each:`,
  );
  console.log(`  ${''.padEnd(58)} ${'local'.padStart(11)} ${'kubernetes'.padStart(11)} ${'k8s/local'.padStart(9)}`);
  const created = [...f.kube.created, ...f.kubeChain.created];
  const createdLocal = [...f.local.created, ...f.localChain.created];
  row('per TaskRun, created → first step started: p50', p(createdLocal, 50), p(created, 50));
  row('per TaskRun, created → first step started: p99', p(createdLocal, 99), p(created, 99));
  row('  chain only (one pod at a time): p50', p(f.localChain.created, 50), p(f.kubeChain.created, 50));
  row('  DAG only (up to 8 pods at once): p50', p(f.local.created, 50), p(f.kube.created, 50));
  row('DAG, last dependency done → first step started: p50', p(f.local.o, 50), p(f.kube.o, 50));
  row('DAG, last dependency done → first step started: p99', p(f.local.o, 99), p(f.kube.o, 99));
  row('chain: first step started → TaskRun stored finished: p50', p(f.localChain.ended, 50), p(f.kubeChain.ended, 50));
  row('chain: first step started → TaskRun stored finished: p99', p(f.localChain.ended, 99), p(f.kubeChain.ended, 99));
  row('50-task DAG wall time (median run)', f.local.wall, f.kube.wall);
  row('50-task chain wall time', f.localChain.ms, f.kubeChain.ms);
  console.log(
    `  reference: Tekton ~5000 ms per warm TaskRun (pod start-up); kubernetes p50 here ${fmt(p(created, 50))} = ` +
      `${(p(created, 50) / 5000).toFixed(2)}× Tekton's; target < 1500 ms p50: ${p(created, 50) < 1500 ? 'met' : 'NOT met'}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
