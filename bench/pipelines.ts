import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { pipelineRuns, taskRuns } from '../lib/adapters/db/schema';
import { createLocalExecutor, createLocalHost } from '../lib/adapters/executors/local';
import { parseEnv } from '../lib/env';
import { applyDocuments } from '../lib/server/pipeline/apply-documents';
import { secretBox } from '../lib/server/security/secret-box';
import { benchDatabase, benchDeps, benchEngine, type BenchEngineDeps, fmt, overheads, percentile } from './support';
import { measureLogLatency } from './log-latency';

/**
 * `npm run bench:pipelines`: the local executor's scheduling overhead per task (from the moment a
 * task's last dependency finished to the moment its first step started), on a 50-task DAG and on 20
 * concurrent 10-task runs, plus log latency from a step's write to an SSE client.
 */
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
  const { engine, me, starter } = await benchEngine(ed, executor);

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
    `sandbox: ${sandbox}; ${process.env.KEELSON_BENCH_QUIET ? '' : 'machine: ' + (await import('node:os')).cpus().length + ' cores'}`,
  );

  // 1. One 50-task DAG: 1 → 8 → 1 → 8 … (mixed fan-out and fan-in), critical path of 11 tasks.
  const dag = levels([1, 8, 1, 8, 1, 8, 1, 8, 1, 8, 5]);
  await applyDocuments(ed, me, pipelineDoc('dag50', dag), ed.box);
  await runToEnd('dag50', 1); // warm-up: first spawns, JIT, connection pool
  // Several runs one after another: one run gives only 49 samples, too few on a noisy machine.
  const rounds = Number(process.env.KEELSON_BENCH_ROUNDS ?? 5);
  const o: number[] = [];
  const walls: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const one = await runToEnd('dag50', 1);
    walls.push(one.ms);
    o.push(...overheads(await db.handle.db.select().from(taskRuns).where(eq(taskRuns.pipelineRunId, one.ids[0])), dag));
  }
  const one = { ms: percentile(walls, 50) };
  const script = dag.map((level) => `${level.map(() => 'true &').join(' ')} wait`).join('\n');
  const b0 = performance.now();
  execFileSync('bash', ['-c', script]);
  const bashMs = performance.now() - b0;
  console.log(`\n50-task DAG, ${rounds} runs one after another (${o.length} tasks with dependencies), local executor:`);
  console.log(
    `  overhead per task (last dependency done → first step started): p50 ${fmt(percentile(o, 50))}, p99 ${fmt(percentile(o, 99))}, max ${fmt(Math.max(...o))}`,
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
  const chained = await runToEnd('chain50', 1);
  const chainRows = await db.handle.db.select().from(taskRuns).where(eq(taskRuns.pipelineRunId, chained.ids[0]));
  const oc = overheads(chainRows, chain);
  const chainBash0 = performance.now();
  execFileSync('bash', ['-c', chain.map(() => 'true').join('\n')]);
  const chainBash = performance.now() - chainBash0;
  console.log(
    `\n50-task chain: overhead per task p50 ${fmt(percentile(oc, 50))}, p99 ${fmt(percentile(oc, 99))}; wall ${fmt(chained.ms)} vs bash ${fmt(chainBash)} (${(chained.ms / chainBash).toFixed(1)}×)`,
  );

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

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
