import { buildDag, taskResultReferences, topologicalOrder } from './dag';
import { formatGoDuration, parseGoDuration } from './duration';
import { finishCondition, pipelineResults, type PipelineRunCondition } from './finish-pipeline-run';
import type { TParam, TParamValue } from './param-schemas';
import { applyParamDefaults } from './params';
import type { TPipelineSpec, TPipelineTask } from './pipeline-schemas';
import { planTaskStart, type TaskRunStart } from './plan-task-start';
import type { TPipelineRunSpecStatus } from './run-schemas';
import {
  aggregateStatus,
  canRetry,
  executionStatus,
  isDone,
  resultScope,
  taskPhase,
  type SkippedTask,
  type TaskPhase,
  type TaskRunState,
} from './run-state';
import { paramScope, type Scope } from './substitute';
import type { TTaskSpec } from './task-schemas';
import type { VarValue } from './variables';
import { evaluateWhen } from './when';

export const SKIP = {
  when: 'When Expressions evaluated to false',
  parent: 'Parent Tasks were skipped',
  missingResults: 'Results were missing',
  stopping: 'PipelineRun was stopping',
  gracefullyCancelled: 'PipelineRun was gracefully cancelled',
  gracefullyStopped: 'PipelineRun was gracefully stopped',
  pipelineTimeout: 'PipelineRun timeout has been reached',
  tasksTimeout: 'PipelineRun Tasks timeout has been reached',
  finallyTimeout: 'PipelineRun Finally timeout has been reached',
  emptyMatrix: 'Matrix Parameters have an empty array',
} as const;

const CANCEL_MESSAGE = {
  cancelled: 'TaskRun cancelled as the PipelineRun it belongs to has been cancelled.',
  timeout: 'TaskRun cancelled as the PipelineRun it belongs to has timed out.',
} as const;

export interface DecideInput {
  pipelineRun: { name: string; namespace?: string; uid?: string };
  pipelineName?: string;
  spec: TPipelineSpec;
  /** Task specs by pipeline task name (inline or resolved), for result types. */
  taskSpecs?: Readonly<Record<string, TTaskSpec>>;
  params?: readonly TParam[];
  specStatus?: TPipelineRunSpecStatus;
  timeouts?: { pipeline?: string; tasks?: string; finally?: string };
  startTime: Date;
  now: Date;
  /** The latest attempt of every TaskRun created so far. */
  taskRuns: readonly TaskRunState[];
  /** Skips decided earlier. */
  skipped?: readonly SkippedTask[];
}

export interface Decision {
  start: TaskRunStart[];
  retry: TaskRunStart[];
  skip: SkippedTask[];
  cancelRunning: { task: string; matrixIndex?: number; taskRunName?: string; message: string }[];
  /** The run's condition now; equal to finish when finished. */
  condition: PipelineRunCondition;
  finish?: PipelineRunCondition & { results: { name: string; value: VarValue }[] };
  /** Every skip so far, recorded and new, in spec order. */
  skippedTasks: SkippedTask[];
}

const DEFAULT_PIPELINE_TIMEOUT = '1h';

/** The pure scheduler: given where a PipelineRun stands, what to do next. */
export function decide(input: DecideInput): Decision {
  const { spec } = input;
  const finallyTasks = spec.finally ?? [];
  const allTasks = [...spec.tasks, ...finallyTasks];
  const runs = new Map<string, TaskRunState[]>();
  for (const r of input.taskRuns) runs.set(r.task, [...(runs.get(r.task) ?? []), r]);
  const skips = new Map((input.skipped ?? []).map((s) => [s.name, s.reason]));
  const decision: Decision = {
    start: [],
    retry: [],
    skip: [],
    cancelRunning: [],
    condition: { status: 'Unknown', reason: 'Running', message: '' },
    skippedTasks: [],
  };
  const elapsed = input.now.getTime() - input.startTime.getTime();
  const pipelineMs = parseGoDuration(input.timeouts?.pipeline ?? DEFAULT_PIPELINE_TIMEOUT) ?? 0;
  const tasksMs = input.timeouts?.tasks ? (parseGoDuration(input.timeouts.tasks) ?? 0) : 0;
  const finallyMs = input.timeouts?.finally ? (parseGoDuration(input.timeouts.finally) ?? 0) : 0;
  const remaining = (budget: number, from = 0) => (budget > 0 ? Math.max(1, budget - (elapsed - from)) : undefined);
  const gracefullyCancelled = input.specStatus === 'CancelledRunFinally';
  const gracefullyStopped = input.specStatus === 'StoppedRunFinally';
  const tasksTimedOut = tasksMs > 0 && elapsed >= tasksMs;
  const dagTaskNames = new Set(spec.tasks.map((t) => t.name));
  // Once the run is cancelled or out of time for tasks, a failed attempt is not retried: it stays
  // failed (otherwise the task would wait for a retry forever). A graceful stop lets retries run,
  // as Tekton's TaskRuns, which it does not touch, go on retrying.
  const retriesClosed = (t: TPipelineTask) => dagTaskNames.has(t.name) && (gracefullyCancelled || tasksTimedOut);
  const phase = (t: TPipelineTask): TaskPhase => {
    const p = taskPhase(t, runs.get(t.name), skips.get(t.name));
    return p === 'retrying' && retriesClosed(t) ? 'failed' : p;
  };
  const skip = (t: TPipelineTask, reason: string) => {
    skips.set(t.name, reason);
    decision.skip.push({ name: t.name, reason });
  };
  const cancel = (tasks: readonly TPipelineTask[], message: string) => {
    for (const t of tasks)
      for (const r of runs.get(t.name) ?? [])
        if (r.status === 'Running') decision.cancelRunning.push({ task: t.name, matrixIndex: r.matrixIndex, message });
  };
  const done = (extra?: { timedOut?: boolean }) => {
    decision.skippedTasks = allTasks
      .filter((t) => skips.has(t.name))
      .map((t) => ({ name: t.name, reason: skips.get(t.name) as string }));
    const condition = finishCondition(allTasks.map(phase), allTasks, {
      specStatus: input.specStatus,
      timedOut: extra?.timedOut ?? false,
      taskRunTimedOut: (t) => (runs.get(t) ?? []).some((r) => r.reason === 'TaskRunTimeout'),
    });
    decision.condition = condition;
    decision.finish = {
      ...condition,
      results: pipelineResults(spec, (name) => byName.get(name), phase, scopeWithResults()),
    };
    return decision;
  };
  const byName = new Map(allTasks.map((t) => [t.name, t]));

  const pipelineParams: Record<string, TParamValue> = applyParamDefaults(
    spec.params,
    Object.fromEntries((input.params ?? []).map((p) => [p.name, p.value])),
  );
  const baseScope: Record<string, VarValue> = {
    ...paramScope(pipelineParams),
    'context.pipelineRun.name': input.pipelineRun.name,
  };
  if (input.pipelineRun.namespace !== undefined)
    baseScope['context.pipelineRun.namespace'] = input.pipelineRun.namespace;
  if (input.pipelineRun.uid !== undefined) baseScope['context.pipelineRun.uid'] = input.pipelineRun.uid;
  if (input.pipelineName !== undefined) baseScope['context.pipeline.name'] = input.pipelineName;
  const scopeWithResults = (): Record<string, VarValue> => {
    const scope = { ...baseScope };
    for (const t of allTasks) {
      const p = phase(t);
      if (p === 'succeeded' || p === 'ignored')
        Object.assign(scope, resultScope(t, input.taskSpecs?.[t.name], runs.get(t.name) ?? []));
    }
    return scope;
  };

  if (input.specStatus === 'PipelineRunPending') {
    decision.condition = { status: 'Unknown', reason: 'PipelineRunPending', message: 'PipelineRun is pending' };
    return decision;
  }
  if (input.specStatus === 'Cancelled') {
    cancel(allTasks, CANCEL_MESSAGE.cancelled);
    return done();
  }
  if (pipelineMs > 0 && elapsed >= pipelineMs) {
    cancel(allTasks, CANCEL_MESSAGE.timeout);
    for (const t of allTasks) if (phase(t) === 'pending') skip(t, SKIP.pipelineTimeout);
    done({ timedOut: true });
    const message = `PipelineRun "${input.pipelineRun.name}" failed to finish within "${formatGoDuration(pipelineMs)}"`;
    decision.condition = { status: 'False', reason: 'PipelineRunTimeout', message };
    decision.finish = { ...(decision.finish as NonNullable<Decision['finish']>), ...decision.condition };
    return decision;
  }

  if (gracefullyCancelled) cancel(spec.tasks, CANCEL_MESSAGE.cancelled);
  if (tasksTimedOut) cancel(spec.tasks, CANCEL_MESSAGE.timeout);

  const dag = buildDag(spec.tasks);
  const stopping = () => spec.tasks.some((t) => phase(t) === 'failed' || phase(t) === 'cancelled');
  const missingResults = (t: TPipelineTask, scope: Scope) =>
    taskResultReferences(t).some((ref) => {
      const p = byName.get(ref.task);
      return !p || !(`tasks.${ref.task}.results.${ref.result}` in scope);
    });
  const dagRemaining = Math.min(...[remaining(pipelineMs), remaining(tasksMs)].map((v) => v ?? Infinity));
  const dagTimeout = Number.isFinite(dagRemaining) ? dagRemaining : undefined;
  const startOrSkip = (t: TPipelineTask, scope: Scope, fin: boolean, timeoutMs: number | undefined) => {
    const planned = planTaskStart(t, spec, scope, pipelineParams, {
      pipelineRunName: input.pipelineRun.name,
      isFinally: fin,
      attempt: 0,
      timeoutMs,
    });
    if (planned.ok) decision.start.push(...planned.starts);
    else if ('emptyMatrix' in planned) skip(t, SKIP.emptyMatrix);
    else skip(t, `Matrix creates ${planned.overCap} combinations, over the cap`);
  };
  const retryFailed = (t: TPipelineTask, scope: Scope, fin: boolean, timeoutMs: number | undefined) => {
    for (const r of runs.get(t.name) ?? []) {
      if (!canRetry(t, r)) continue;
      const planned = planTaskStart(t, spec, scope, pipelineParams, {
        pipelineRunName: input.pipelineRun.name,
        isFinally: fin,
        attempt: r.attempt + 1,
        timeoutMs,
        onlyIndex: r.matrixIndex,
      });
      if (planned.ok) decision.retry.push(...planned.starts);
    }
  };

  // The tasks section, parents before children so that new skips reach descendants in one pass.
  let scope = scopeWithResults();
  for (const name of topologicalOrder(dag)) {
    const t = byName.get(name) as TPipelineTask;
    const p = phase(t);
    if (p === 'retrying') retryFailed(t, scope, false, dagTimeout);
    if (p !== 'pending') continue;
    const parents = [...(dag.parents.get(name) ?? [])].map((n) => byName.get(n) as TPipelineTask);
    const parentsDone = parents.every((parent) => isDone(phase(parent)));
    if (gracefullyCancelled || gracefullyStopped) {
      // As Tekton: every task that never started is skipped at once, naming the cancel or stop,
      // unless a task had failed on its own (its children say "Parent Tasks were skipped", the rest
      // "PipelineRun was stopping"). Tasks the cancel itself cancelled do not count as failures.
      if (parentsDone && parents.some((parent) => phase(parent) === 'failed')) skip(t, SKIP.parent);
      else if (spec.tasks.some((other) => phase(other) === 'failed')) skip(t, SKIP.stopping);
      else skip(t, gracefullyCancelled ? SKIP.gracefullyCancelled : SKIP.gracefullyStopped);
      continue;
    }
    if (!parentsDone) continue;
    // Descendants of a failed, cancelled or skipped task say so (SEMANTICS.md); a task skipped by
    // its own when expressions does not skip its runAfter dependents.
    if (parents.some((parent) => phase(parent) === 'failed' || phase(parent) === 'cancelled')) skip(t, SKIP.parent);
    else if (parents.some((parent) => phase(parent) === 'skipped' && skips.get(parent.name) !== SKIP.when))
      skip(t, SKIP.parent);
    else if (tasksTimedOut) skip(t, SKIP.tasksTimeout);
    else if (stopping()) skip(t, SKIP.stopping);
    else if (missingResults(t, scope)) skip(t, SKIP.missingResults);
    else if (!evaluateWhen(t.when, scope).pass) skip(t, SKIP.when);
    else startOrSkip(t, scope, false, dagTimeout);
    scope = scopeWithResults();
  }

  const dagPhases = spec.tasks.map(phase);
  const startedNow = new Set(decision.start.map((s) => s.task));
  if (!dagPhases.every(isDone) || startedNow.size > 0) {
    const reason = gracefullyCancelled
      ? 'CancelledRunningFinally'
      : gracefullyStopped
        ? 'StoppedRunningFinally'
        : stopping()
          ? 'PipelineRunStopping'
          : 'Running';
    decision.condition = { status: 'Unknown', reason, message: progressMessage(allTasks.map(phase)) };
    decision.skippedTasks = allTasks
      .filter((t) => skips.has(t.name))
      .map((t) => ({ name: t.name, reason: skips.get(t.name) as string }));
    return decision;
  }

  // Finally: every task above has ended, whatever the outcome.
  const finallyStarts = finallyTasks.flatMap((t) =>
    (runs.get(t.name) ?? []).map((r) => r.startTime?.getTime() ?? input.now.getTime()),
  );
  const finallyFrom = finallyStarts.length > 0 ? Math.min(...finallyStarts) - input.startTime.getTime() : elapsed;
  const finallyTimedOut = finallyMs > 0 && finallyStarts.length > 0 && elapsed - finallyFrom >= finallyMs;
  const finallyRemaining = Math.min(
    ...[remaining(pipelineMs), remaining(finallyMs, finallyFrom)].map((v) => v ?? Infinity),
  );
  const finallyTimeout = Number.isFinite(finallyRemaining) ? finallyRemaining : undefined;
  if (finallyTimedOut) cancel(finallyTasks, CANCEL_MESSAGE.timeout);
  const finallyScope: Record<string, VarValue> = { ...scope, 'tasks.status': aggregateStatus(dagPhases) };
  for (const t of spec.tasks) {
    finallyScope[`tasks.${t.name}.status`] = executionStatus(phase(t));
    finallyScope[`tasks.${t.name}.reason`] = taskReason(phase(t), runs.get(t.name));
  }
  for (const t of finallyTasks) {
    const p = phase(t);
    if (p === 'retrying' && !finallyTimedOut) retryFailed(t, finallyScope, true, finallyTimeout);
    if (p !== 'pending') continue;
    if (finallyTimedOut) skip(t, SKIP.finallyTimeout);
    else if (missingResults(t, finallyScope)) skip(t, SKIP.missingResults);
    else if (!evaluateWhen(t.when, finallyScope).pass) skip(t, SKIP.when);
    else startOrSkip(t, finallyScope, true, finallyTimeout);
  }
  if (decision.start.length > 0 || !finallyTasks.every((t) => isDone(phase(t)))) {
    const reason = gracefullyCancelled
      ? 'CancelledRunningFinally'
      : gracefullyStopped
        ? 'StoppedRunningFinally'
        : dagPhases.includes('failed')
          ? 'PipelineRunStopping'
          : 'Running';
    decision.condition = { status: 'Unknown', reason, message: progressMessage(allTasks.map(phase)) };
    decision.skippedTasks = allTasks
      .filter((t) => skips.has(t.name))
      .map((t) => ({ name: t.name, reason: skips.get(t.name) as string }));
    return decision;
  }
  const timedOut =
    [...skips.values()].some((r) => r === SKIP.tasksTimeout || r === SKIP.finallyTimeout) ||
    finallyTimedOut ||
    (tasksTimedOut && dagPhases.includes('cancelled') && !gracefullyCancelled);
  return done({ timedOut });
}

function taskReason(phase: TaskPhase, runs: readonly TaskRunState[] | undefined): string {
  if (phase === 'skipped' || !runs?.length) return 'None';
  const failed = runs.find((r) => r.status !== 'Succeeded');
  return failed?.reason ?? (failed ? failed.status : 'Succeeded');
}

/** Tekton's running message: "Tasks Completed: 2 (Failed: 0, Cancelled: 0), Incomplete: 3, Skipped: 1". */
function progressMessage(phases: readonly TaskPhase[]): string {
  const count = (...ps: TaskPhase[]) => phases.filter((p) => ps.includes(p)).length;
  return `Tasks Completed: ${count('succeeded', 'failed', 'ignored', 'cancelled')} (Failed: ${count('failed', 'ignored')}, Cancelled: ${count('cancelled')}), Incomplete: ${count('pending', 'running', 'retrying')}, Skipped: ${count('skipped')}`;
}
