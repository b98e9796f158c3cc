import { buildDag, topologicalOrder } from './dag';
import type { TPipelineSpec } from './pipeline-schemas';
import type { TaskRunState } from './run-state';
import type { TReusedTaskRun, TTaskRunStatus } from './stored-schemas';
import type { TaskRunStateName } from './task-run-states';

/** The reason and message a reused task shows in the new run. */
export const REUSED_REASON = 'Reused';
export const reusedMessage = (fromRun: string) => `reused from ${fromRun}`;

/** One TaskRun of the earlier run: its own, or one it had itself reused (then `fromRun` names the run that ran it). */
export interface EarlierTaskRun {
  task: string;
  name: string;
  matrixIndex?: number;
  state: TaskRunStateName;
  attempt: number;
  status: TTaskRunStatus;
  fromRun: string;
  /** Its steps' recorded images. */
  images?: Record<string, string>;
}

export interface EarlierRun {
  name: string;
  /** The run's Succeeded condition status: a run still going (Unknown) cannot be rerun from failed. */
  conditionStatus: 'True' | 'False' | 'Unknown';
  spec: TPipelineSpec;
  taskRuns: readonly EarlierTaskRun[];
  /** Tasks the earlier run skipped (when false, parent failed, cancel, timeout). */
  skipped: readonly string[];
}

export type RerunFromFailedPlan =
  | { ok: true; reused: TReusedTaskRun[]; rerun: string[] }
  | { ok: false; reason: 'NotFinished' | 'NothingFailed'; message: string };

/**
 * Which tasks a rerun from failed reuses. A DAG task is reused when every TaskRun of it succeeded (for a matrix,
 * every combination; one failed combination reruns them all) and every task it depends on (runAfter or results)
 * is reused too, so nothing reused rests on something that runs again. Everything else runs again: tasks that
 * failed (also under onError: continue), were cancelled, timed out or were skipped, and every finally task.
 * When expressions of the tasks that run again are evaluated again.
 */
export function rerunFromFailed(run: EarlierRun): RerunFromFailedPlan {
  if (run.conditionStatus === 'Unknown')
    return {
      ok: false,
      reason: 'NotFinished',
      message: `PipelineRun "${run.name}" has not finished: wait for it to end, or cancel it, then rerun its failed tasks.`,
    };
  if (run.conditionStatus === 'True')
    return {
      ok: false,
      reason: 'NothingFailed',
      message: `PipelineRun "${run.name}" succeeded: nothing failed; use rerun without --from-failed (fromFailed: false).`,
    };
  const skipped = new Set(run.skipped);
  const runsOf = (task: string) => run.taskRuns.filter((r) => r.task === task);
  const succeeded = (task: string) => {
    const runs = runsOf(task);
    return !skipped.has(task) && runs.length > 0 && runs.every((r) => r.state === 'succeeded');
  };
  const dag = buildDag(run.spec.tasks);
  const reusedTasks = new Set<string>();
  for (const task of topologicalOrder(dag)) {
    const parents = [...(dag.parents.get(task) ?? [])];
    if (succeeded(task) && parents.every((p) => reusedTasks.has(p))) reusedTasks.add(task);
  }
  const all = [...run.spec.tasks, ...(run.spec.finally ?? [])].map((t) => t.name);
  // In spec order, matrix combinations by index.
  const reused = all
    .filter((t) => reusedTasks.has(t))
    .flatMap((task) =>
      runsOf(task)
        .sort((a, b) => (a.matrixIndex ?? 0) - (b.matrixIndex ?? 0))
        .map((r): TReusedTaskRun => ({
          task,
          ...(r.matrixIndex !== undefined ? { matrixIndex: r.matrixIndex } : {}),
          taskRunName: r.name,
          fromRun: r.fromRun,
          attempt: r.attempt,
          status: r.status,
          ...(r.images ? { images: r.images } : {}),
        })),
    );
  return { ok: true, reused, rerun: all.filter((t) => !reusedTasks.has(t)) };
}

/** A result's value as the scheduler reads it: the file's text (arrays and objects as JSON). */
export function resultText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The reused TaskRuns as the scheduler sees them at every reconcile of the new run: succeeded, with their results. */
export function reusedTaskRunStates(reused: readonly TReusedTaskRun[]): TaskRunState[] {
  return reused.map((r) => ({
    task: r.task,
    matrixIndex: r.matrixIndex,
    status: 'Succeeded',
    reason: REUSED_REASON,
    attempt: r.attempt,
    results: Object.fromEntries(r.status.results.map((x) => [x.name, resultText(x.value)])),
    startTime: r.status.startTime ? new Date(r.status.startTime) : undefined,
  }));
}
