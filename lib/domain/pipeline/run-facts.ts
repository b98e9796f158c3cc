import { contextScope, type ContextFacts } from './context-variables';
import { parseGoDuration } from './duration';
import type { TParam, TParamValue } from './param-schemas';
import { resolvePipelineParams } from './pipeline-param-defaults';
import type { TPipelineSpec, TPipelineTask } from './pipeline-schemas';
import type { SkippingReason } from './reasons';
import type { TPipelineRunSpecStatus } from './run-schemas';
import { isDone, resultScope, taskPhase, type SkippedTask, type TaskPhase, type TaskRunState } from './run-state';
import { applyLaterPasses, paramScope, withOnErrorResolved } from './substitute';
import type { TTaskSpec } from './task-schemas';
import type { VarValue } from './variables';

export interface DecideInput {
  pipelineRun: { name: string; namespace?: string; uid?: string };
  pipelineName?: string;
  spec: TPipelineSpec;
  /** The workspaces the PipelineRun binds, for `$(workspaces.<w>.bound)`; without it that variable is left as is. */
  boundWorkspaces?: readonly string[];
  /** Task specs by pipeline task name (inline or resolved), for result types. */
  taskSpecs?: Readonly<Record<string, TTaskSpec>>;
  params?: readonly TParam[];
  specStatus?: TPipelineRunSpecStatus;
  timeouts?: { pipeline?: string; tasks?: string; finally?: string };
  /** `taskRunSpecs[].timeout` by pipeline task name: it replaces the task's own timeout, as upstream. */
  taskRunTimeouts?: Readonly<Record<string, string>>;
  startTime: Date;
  now: Date;
  /** The latest attempt of every TaskRun created so far. */
  taskRuns: readonly TaskRunState[];
  /** Skips decided earlier. */
  skipped?: readonly SkippedTask[];
}

/**
 * What is known of a PipelineRun at one reconcile (Tekton's `PipelineRunFacts`): its tasks, their
 * TaskRuns, the skips so far, the clock and the cancel/stop/timeout state. `skips` is the one part
 * that grows while the queues decide: a task skipped now is `skipped` for its children.
 */
export interface RunFacts {
  input: DecideInput;
  spec: TPipelineSpec;
  dagTasks: readonly TPipelineTask[];
  finallyTasks: readonly TPipelineTask[];
  /** DAG tasks, then finally tasks: the order of `skippedTasks` and of the progress counts. */
  allTasks: readonly TPipelineTask[];
  byName: ReadonlyMap<string, TPipelineTask>;
  skips: Map<string, SkippingReason>;
  pipelineParams: Record<string, TParamValue>;
  /** Milliseconds since the run started. */
  elapsedMs: number;
  /** The timeouts in milliseconds; 0 is none. */
  budgets: { pipeline: number; tasks: number; finally: number };
  gracefullyCancelled: boolean;
  gracefullyStopped: boolean;
  pipelineTimedOut: boolean;
  tasksTimedOut: boolean;
  runsOf(task: string): readonly TaskRunState[];
  phase(task: TPipelineTask): TaskPhase;
  /** Params, context and the results of every task that succeeded (or failed under onError: continue). */
  scopeWithResults(): Record<string, VarValue>;
  /** Tekton's `IsStopping`: a DAG task failed or was cancelled, so no new DAG task starts. */
  isStopping(): boolean;
  /** A DAG task failed (cancellations by the run itself do not count). */
  hasFailedDagTask(): boolean;
  /** Tekton's `checkDAGTasksDone`. */
  dagTasksDone(): boolean;
  /** Every skip so far, recorded and new, in spec order. */
  skippedTasks(): SkippedTask[];
  /** What is left of a budget counted from `fromMs` after the start (at least 1 ms), or undefined without one. */
  remainingMs(budget: number, fromMs?: number): number | undefined;
}

const DEFAULT_PIPELINE_TIMEOUT = '1h';

function baseScopeOf(input: DecideInput, params: Record<string, TParamValue>): Record<string, VarValue> {
  const scope: Record<string, VarValue> = { ...paramScope(params), ...contextScope(pipelineContextFacts(input)) };
  // Tekton's pipelinerun ApplyWorkspaces: "true" for a workspace the run binds, "false" for one it leaves out.
  if (input.boundWorkspaces) {
    const bound = new Set(input.boundWorkspaces);
    for (const w of input.spec.workspaces ?? []) scope[`workspaces.${w.name}.bound`] = String(bound.has(w.name));
  }
  return applyLaterPasses(scope);
}

/** The pipeline part of the context table's facts (see context-variables.ts). */
export function pipelineContextFacts(input: Pick<DecideInput, 'pipelineRun' | 'pipelineName'>): ContextFacts {
  const { name, namespace = 'default', uid = '' } = input.pipelineRun;
  return { pipelineRun: { name, namespace, uid }, pipeline: { name: input.pipelineName ?? name } };
}

export function runFacts(input: DecideInput): RunFacts {
  const pipelineParams = resolvePipelineParams(
    input.spec.params,
    Object.fromEntries((input.params ?? []).map((p) => [p.name, p.value])),
  ).values;
  const spec = withOnErrorResolved(input.spec, paramScope(pipelineParams));
  const dagTasks = spec.tasks;
  const finallyTasks = spec.finally ?? [];
  const allTasks = [...dagTasks, ...finallyTasks];
  const dagNames = new Set(dagTasks.map((t) => t.name));
  const runs = new Map<string, TaskRunState[]>();
  for (const r of input.taskRuns) runs.set(r.task, [...(runs.get(r.task) ?? []), r]);
  const skips = new Map((input.skipped ?? []).map((s) => [s.name, s.reason]));
  const elapsedMs = input.now.getTime() - input.startTime.getTime();
  const budget = (d: string | undefined) => (d ? (parseGoDuration(d) ?? 0) : 0);
  const budgets = {
    pipeline: budget(input.timeouts?.pipeline ?? DEFAULT_PIPELINE_TIMEOUT),
    tasks: budget(input.timeouts?.tasks),
    finally: budget(input.timeouts?.finally),
  };
  const gracefullyCancelled = input.specStatus === 'CancelledRunFinally';
  const tasksTimedOut = budgets.tasks > 0 && elapsedMs >= budgets.tasks;
  const baseScope = baseScopeOf(input, pipelineParams);
  const runsOf = (task: string) => runs.get(task) ?? [];
  // Once the run is cancelled or out of time for tasks, a failed attempt is not retried: it stays
  // failed (otherwise the task would wait for a retry forever). A graceful stop lets retries run,
  // as Tekton's TaskRuns, which it does not touch, go on retrying.
  const retriesClosed = (t: TPipelineTask) => dagNames.has(t.name) && (gracefullyCancelled || tasksTimedOut);
  const phase = (t: TPipelineTask): TaskPhase => {
    const p = taskPhase(t, runs.get(t.name), skips.get(t.name));
    return p === 'retrying' && retriesClosed(t) ? 'failed' : p;
  };
  return {
    input,
    spec,
    dagTasks,
    finallyTasks,
    allTasks,
    byName: new Map(allTasks.map((t) => [t.name, t])),
    skips,
    pipelineParams,
    elapsedMs,
    budgets,
    gracefullyCancelled,
    gracefullyStopped: input.specStatus === 'StoppedRunFinally',
    pipelineTimedOut: budgets.pipeline > 0 && elapsedMs >= budgets.pipeline,
    tasksTimedOut,
    runsOf,
    phase,
    scopeWithResults: () => {
      const scope = { ...baseScope };
      for (const t of allTasks) {
        const p = phase(t);
        if (p !== 'succeeded' && p !== 'ignored') continue;
        const results = resultScope(t, input.taskSpecs?.[t.name], runsOf(t.name));
        Object.assign(scope, results);
        // Pipeline results read a finally task's results as $(finally.<task>.results.<r>) (upstream's ResultFinallyPart).
        if (!dagNames.has(t.name))
          for (const [key, value] of Object.entries(results)) scope[key.replace(/^tasks\./, 'finally.')] = value;
      }
      return scope;
    },
    isStopping: () => dagTasks.some((t) => phase(t) === 'failed' || phase(t) === 'cancelled'),
    hasFailedDagTask: () => dagTasks.some((t) => phase(t) === 'failed'),
    dagTasksDone: () => dagTasks.every((t) => isDone(phase(t))),
    skippedTasks: () =>
      allTasks.flatMap((t) => {
        const reason = skips.get(t.name);
        return reason === undefined ? [] : [{ name: t.name, reason }];
      }),
    remainingMs: (b, fromMs = 0) => (b > 0 ? Math.max(1, b - (elapsedMs - fromMs)) : undefined),
  };
}

/** The smallest of several remaining budgets, or undefined when none applies. */
export function tightest(...remaining: (number | undefined)[]): number | undefined {
  const least = Math.min(...remaining.map((v) => v ?? Infinity));
  return Number.isFinite(least) ? least : undefined;
}
