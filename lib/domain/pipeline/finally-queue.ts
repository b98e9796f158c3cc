import { missingResults } from './dag-queue';
import {
  CancelMessage,
  cancelRunning,
  retryTask,
  skipTask,
  startTask,
  type Decision,
  type QueueSlot,
} from './decision';
import type { TPipelineTask } from './pipeline-schemas';
import { SkippingReason, TaskRunReason } from './reasons';
import { tightest, type RunFacts } from './run-facts';
import { aggregateStatus, executionStatus, type TaskPhase, type TaskRunState } from './run-state';
import type { Scope } from './substitute';
import type { VarValue } from './variables';
import { evaluateWhen } from './when';

/** `$(tasks.T.reason)`: the reason of the task's failed TaskRun, Succeeded, or None (Tekton's `PipelineTaskStateNone`) when it did not run. */
export function taskReason(phase: TaskPhase, runs: readonly TaskRunState[]): string {
  if (phase === 'skipped' || runs.length === 0) return 'None';
  const failed = runs.find((r) => r.status !== 'Succeeded');
  return failed?.reason ?? (failed ? failed.status : TaskRunReason.Successful);
}

/** The scope of finally tasks: the tasks' scope plus `$(tasks.status)` and each DAG task's status and reason. */
export function finallyScope(facts: RunFacts, dagScope: Scope): Record<string, VarValue> {
  const scope: Record<string, VarValue> = {
    ...dagScope,
    'tasks.status': aggregateStatus(facts.dagTasks.map(facts.phase)),
  };
  for (const t of facts.dagTasks) {
    scope[`tasks.${t.name}.status`] = executionStatus(facts.phase(t));
    scope[`tasks.${t.name}.reason`] = taskReason(facts.phase(t), facts.runsOf(t.name));
  }
  return scope;
}

/** The finally timeout, counted from the first finally TaskRun's start. */
export function finallyTimer(facts: RunFacts): { timedOut: boolean; timeoutMs: number | undefined } {
  const { input, budgets, elapsedMs } = facts;
  const starts = facts.finallyTasks.flatMap((t) =>
    facts.runsOf(t.name).map((r) => r.startTime?.getTime() ?? input.now.getTime()),
  );
  const fromMs = starts.length > 0 ? Math.min(...starts) - input.startTime.getTime() : elapsedMs;
  return {
    timedOut: budgets.finally > 0 && starts.length > 0 && elapsedMs - fromMs >= budgets.finally,
    timeoutMs: tightest(facts.remainingMs(budgets.pipeline), facts.remainingMs(budgets.finally, fromMs)),
  };
}

/** Why a finally task that never started is skipped, or undefined when it may start. */
export function finallySkipReason(
  facts: RunFacts,
  task: TPipelineTask,
  scope: Scope,
  timedOut: boolean,
): SkippingReason | undefined {
  if (timedOut) return SkippingReason.FinallyTimedOut;
  if (missingResults(facts, task, scope)) return SkippingReason.MissingResults;
  if (!evaluateWhen(task.when, scope).pass) return SkippingReason.WhenExpressions;
  return undefined;
}

/**
 * Tekton's finally queue, once every DAG task has ended whatever the outcome: retries, skips and
 * starts of the finally tasks, and cancels when the finally timeout has passed. Returns whether it has.
 */
export function finallyQueue(facts: RunFacts, decision: Decision, dagScope: Scope): { timedOut: boolean } {
  const { timedOut, timeoutMs } = finallyTimer(facts);
  if (timedOut) decision.cancelRunning.push(...cancelRunning(facts, facts.finallyTasks, CancelMessage.timeout));
  const slot: QueueSlot = { scope: finallyScope(facts, dagScope), isFinally: true, timeoutMs };
  for (const t of facts.finallyTasks) {
    const p = facts.phase(t);
    if (p === 'retrying' && !timedOut) retryTask(facts, decision, t, slot);
    if (p !== 'pending') continue;
    const reason = finallySkipReason(facts, t, slot.scope, timedOut);
    if (reason) skipTask(facts, decision, t, reason);
    else startTask(facts, decision, t, slot);
  }
  return { timedOut };
}
