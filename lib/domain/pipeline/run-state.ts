import { gatherMatrixResults } from './matrix';
import type { TPipelineTask } from './pipeline-schemas';
import type { SkippingReason } from './reasons';
import { parseResultValue } from './substitute';
import type { TTaskSpec } from './task-schemas';
import type { VarValue } from './variables';

/** The latest attempt of one TaskRun of a pipeline task (one per matrix combination). */
export interface TaskRunState {
  task: string;
  matrixIndex?: number;
  status: 'Running' | 'Succeeded' | 'Failed' | 'Cancelled';
  /** The TaskRun's reason: Succeeded, Failed, TaskRunTimeout, TaskRunCancelled… */
  reason?: string;
  /** 0 for the first attempt; `$(context.task.retry-count)`. */
  attempt: number;
  /** Result files, verbatim. */
  results?: Readonly<Record<string, string>>;
  /** Result types known from the run itself (a child PipelineRun's results), when no Task spec declares them. */
  resultTypes?: Readonly<Record<string, 'string' | 'array' | 'object'>>;
  startTime?: Date;
}

/** An entry of `status.skippedTasks`: a pipeline task that was skipped, and why. */
export interface SkippedTask {
  name: string;
  reason: SkippingReason;
}

/**
 * Where a pipeline task stands. `failed` is a final failure (no retries left), `retrying` a
 * failure that will be retried, `ignored` a failure under `onError: continue`.
 */
export type TaskPhase =
  'pending' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'ignored' | 'cancelled' | 'skipped';

export function isDone(phase: TaskPhase): boolean {
  return (
    phase === 'succeeded' || phase === 'failed' || phase === 'ignored' || phase === 'cancelled' || phase === 'skipped'
  );
}

export function taskPhase(
  task: TPipelineTask,
  runs: readonly TaskRunState[] | undefined,
  skipReason: SkippingReason | undefined,
): TaskPhase {
  if (skipReason !== undefined) return 'skipped';
  if (!runs || runs.length === 0) return 'pending';
  if (runs.some((r) => r.status === 'Running')) return 'running';
  if (runs.some((r) => canRetry(task, r))) return 'retrying';
  if (runs.some((r) => r.status === 'Failed')) return task.onError === 'continue' ? 'ignored' : 'failed';
  if (runs.some((r) => r.status === 'Cancelled')) return 'cancelled';
  return 'succeeded';
}

/** Any failure except cancellation may be retried while attempts remain. */
export function canRetry(task: TPipelineTask, run: TaskRunState): boolean {
  return run.status === 'Failed' && run.attempt < (task.retries ?? 0);
}

/** `$(tasks.T.status)` as finally tasks see it. */
export function executionStatus(phase: TaskPhase): 'Succeeded' | 'Failed' | 'None' {
  if (phase === 'succeeded') return 'Succeeded';
  if (phase === 'failed' || phase === 'ignored' || phase === 'cancelled') return 'Failed';
  return 'None';
}

/** `$(tasks.status)`: Failed if any failed, None if any was cancelled or has not ended, Completed if some were skipped. */
export function aggregateStatus(phases: readonly TaskPhase[]): 'Succeeded' | 'Failed' | 'Completed' | 'None' {
  if (phases.some((p) => p === 'failed' || p === 'ignored')) return 'Failed';
  if (phases.some((p) => !isDone(p) || p === 'cancelled')) return 'None';
  return phases.some((p) => p === 'skipped') ? 'Completed' : 'Succeeded';
}

/**
 * `tasks.T.results.R` entries for tasks that succeeded (or failed under onError: continue), typed
 * by the task's result declarations; matrixed tasks gather string results into arrays and expose
 * `tasks.T.matrix.length` and `tasks.T.matrix.R.length`.
 */
export function resultScope(
  task: TPipelineTask,
  spec: TTaskSpec | undefined,
  runs: readonly TaskRunState[],
): Record<string, VarValue> {
  const out: Record<string, VarValue> = {};
  const types = new Map((spec?.results ?? []).map((r) => [r.name, r.type ?? (r.properties ? 'object' : 'string')]));
  if (task.matrix) {
    const ordered = [...runs].sort((a, b) => (a.matrixIndex ?? 0) - (b.matrixIndex ?? 0));
    const names = spec
      ? [...types].filter(([, t]) => t === 'string').map(([n]) => n)
      : [...new Set(ordered.flatMap((r) => Object.keys(r.results ?? {})))];
    const gathered = gatherMatrixResults(
      ordered.map((r) => (r.status === 'Succeeded' ? r.results : undefined)),
      names,
    );
    out[`tasks.${task.name}.matrix.length`] = String(runs.length);
    for (const [name, values] of Object.entries(gathered)) {
      out[`tasks.${task.name}.results.${name}`] = values;
      out[`tasks.${task.name}.matrix.${name}.length`] = String(values.length);
    }
    return out;
  }
  const run = runs[0];
  for (const [name, text] of Object.entries(run?.results ?? {})) {
    out[`tasks.${task.name}.results.${name}`] = parseResultValue(
      text,
      types.get(name) ?? run?.resultTypes?.[name] ?? 'string',
    );
  }
  return out;
}
