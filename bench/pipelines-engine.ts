import path from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { pipelineRuns, taskRuns } from '../lib/adapters/db/schema';
import type { TaskRunExecutor } from '../lib/domain/pipeline/task-run-plan';
import { applyDocuments } from '../lib/server/pipeline/apply-documents';
import { secretBox } from '../lib/server/security/secret-box';
import {
  benchDatabase,
  benchDeps,
  benchEngine,
  type BenchEngineDeps,
  fmt,
  overheads,
  percentile,
  pipelineRunOf,
} from './support';

/**
 * `npm run bench:engine -- [rounds]`: the engine's own hand-over cost (reconcile,
 * database writes, claims), with an in-process executor whose steps "start" the moment it is called,
 * so process spawns and the sandbox do not blur it. Same 50-task 1 → 8 → 1 … DAG as `npm run bench:pipelines`.
 */
const instant: TaskRunExecutor = {
  kind: 'instant',
  async run(plan) {
    const at = new Date();
    return {
      status: 'Succeeded',
      reason: 'Succeeded',
      message: 'All Steps have completed executing',
      steps: plan.steps.map((s) => ({
        name: s.name,
        exitCode: 0,
        startedAt: at,
        finishedAt: at,
        reason: 'Completed' as const,
      })),
      results: {},
      sandbox: 'none',
    };
  },
};

const sizes = [1, 8, 1, 8, 1, 8, 1, 8, 1, 8, 5];
const dag = sizes.map((n, l) => Array.from({ length: n }, (_, i) => `l${l}-t${i}`));
const tasks = dag.flatMap((level, l) =>
  level.map((task) => ({
    name: task,
    runAfter: l === 0 ? undefined : dag[l - 1],
    taskSpec: { steps: [{ name: 'noop', image: 'busybox', command: ['true'] }] },
  })),
);

async function main() {
  const rounds = Number(process.argv[2] ?? 5);
  const db = await benchDatabase();
  const ed: BenchEngineDeps = {
    ...benchDeps(db.handle),
    box: secretBox('bench-key-'.repeat(4)),
    runsDir: path.join(db.dir, 'runs'),
    volumesDir: path.join(db.dir, 'volumes'),
  };
  const { engine, me, starter } = await benchEngine(ed, instant);
  await applyDocuments(
    ed,
    me,
    { apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'dag50' }, spec: { tasks } },
    ed.box,
  );

  const all: number[] = [];
  const walls: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    const { runs } = await applyDocuments(ed, me, pipelineRunOf('dag50'), ed.box, starter);
    const t0 = performance.now();
    await engine.advance(runs[0].id);
    for (;;) {
      const [run] = await db.handle.db
        .select({ done: pipelineRuns.completedAt, reason: pipelineRuns.conditionReason })
        .from(pipelineRuns)
        .where(inArray(pipelineRuns.id, [runs[0].id]));
      if (run.done) {
        if (run.reason !== 'Succeeded') throw new Error(`run ended ${run.reason}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    if (round === 0) continue; // warm-up
    walls.push(performance.now() - t0);
    all.push(
      ...overheads(await db.handle.db.select().from(taskRuns).where(eq(taskRuns.pipelineRunId, runs[0].id)), dag),
    );
  }
  console.log(
    `engine hand-over, 50-task DAG, ${rounds} rounds (no process spawns): p50 ${fmt(percentile(all, 50))}, p99 ${fmt(percentile(all, 99))}; wall p50 ${fmt(percentile(walls, 50))}`,
  );
  await db.stop();
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
