import { and, eq, isNull, lt } from 'drizzle-orm';
import { pipelineRuns, taskRuns } from '@/lib/adapters/db/schema';
import type { TaskRunExecutor } from '@/lib/domain/pipeline/task-run-plan';
import { executeTaskRun, type ExecutionContext } from './execute-task-run';
import { reconcilePipelineRun, type EngineDeps } from './reconcile-pipeline-run';
import { reapExpiredLeases } from './task-run-lease';

export interface PipelineEngineOptions {
  ed: EngineDeps;
  executor: TaskRunExecutor;
  owner: string;
  /** TaskRuns this process runs at once. */
  concurrency: number;
  /** Puts a TaskRun on the shared queue so any worker can take it. */
  enqueue: (taskRunId: string) => Promise<void>;
  leaseMs?: number;
  log?: (line: string) => void;
}

/**
 * The pipeline engine of one worker process. When a TaskRun ends, the same process reconciles its
 * PipelineRun and starts the next TaskRuns itself while it has free slots (no queue round trip on
 * the hot path); every new TaskRun is also queued, so other workers take what this one cannot.
 */
export function createPipelineEngine(opts: PipelineEngineOptions) {
  const running = new Set<string>();
  /** TaskRuns this process dispatched while its slots were full; another worker may take them first. */
  const backlog: string[] = [];
  /** TaskRuns dispatched again while still running here: a retry reuses the row of the attempt that just ended. */
  const again = new Set<string>();
  const log = opts.log ?? ((l: string) => console.log(l));
  const ctx: ExecutionContext = { deps: opts.ed, executor: opts.executor, owner: opts.owner, runsDir: opts.ed.runsDir, leaseMs: opts.leaseMs };

  async function advance(runId: string): Promise<void> {
    const { dispatch } = await reconcilePipelineRun(opts.ed, runId);
    for (const id of dispatch) {
      // Run it here at once when a slot is free (the hot path: no queue round trip); otherwise put it
      // on the shared queue for any worker, and on our own backlog for our next free slot.
      if (running.size < opts.concurrency) void execute(id);
      else {
        backlog.push(id);
        await opts.enqueue(id);
      }
    }
  }

  /** Runs one TaskRun if nobody else has claimed it, then moves its PipelineRun on. */
  async function execute(taskRunId: string): Promise<void> {
    if (running.has(taskRunId)) {
      again.add(taskRunId);
      return;
    }
    running.add(taskRunId);
    try {
      const row = await executeTaskRun(ctx, taskRunId);
      if (row?.pipelineRunId) await advance(row.pipelineRunId);
    } catch (err) {
      log(`[pipelines] TaskRun ${taskRunId} failed in the engine: ${(err as Error).stack ?? err}`);
    } finally {
      running.delete(taskRunId);
      const next = again.delete(taskRunId) ? taskRunId : backlog.shift();
      if (next) void execute(next);
    }
  }

  /**
   * Periodic safety net: fail TaskRuns whose worker vanished (lease expired) and reconcile unfinished
   * runs, which is also how pipeline, tasks and finally timeouts fire while tasks are still running.
   */
  async function tick(): Promise<void> {
    const reaped = await reapExpiredLeases(opts.ed);
    for (const r of reaped) log(`[pipelines] TaskRun ${r.name}: lease expired, marked failed`);
    // A TaskRun left pending (its dispatching worker died before claiming it) goes back on the queue.
    const waiting = await opts.ed.db
      .select({ id: taskRuns.id })
      .from(taskRuns)
      .where(and(eq(taskRuns.state, 'pending'), lt(taskRuns.createdAt, new Date(opts.ed.now().getTime() - 5000))));
    for (const w of waiting) await opts.enqueue(w.id);
    const stale = new Date(opts.ed.now().getTime() - 1000);
    const open = await opts.ed.db
      .select({ id: pipelineRuns.id })
      .from(pipelineRuns)
      .where(and(isNull(pipelineRuns.completedAt), lt(pipelineRuns.createdAt, stale)));
    for (const run of open) await advance(run.id).catch((err: Error) => log(`[pipelines] reconcile ${run.id}: ${err.message}`));
  }

  return { advance, execute, tick, runningCount: () => running.size };
}

export type PipelineEngine = ReturnType<typeof createPipelineEngine>;
