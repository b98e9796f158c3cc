import type { PipelineRunCondition } from './finish-pipeline-run';
import type { TPipelineTask } from './pipeline-schemas';
import { planTaskStart, type TaskRunStart } from './plan-task-start';
import { matrixOverCapSkip, PipelineRunReason, SkippingReason } from './reasons';
import type { RunFacts } from './run-facts';
import { canRetry, type SkippedTask } from './run-state';
import type { Scope } from './substitute';
import type { VarValue } from './variables';

export interface CancelRequest {
  task: string;
  matrixIndex?: number;
  taskRunName?: string;
  message: string;
}

export interface Decision {
  start: TaskRunStart[];
  retry: TaskRunStart[];
  skip: SkippedTask[];
  cancelRunning: CancelRequest[];
  /** The run's condition now; equal to finish when finished. */
  condition: PipelineRunCondition;
  finish?: PipelineRunCondition & { results: { name: string; value: VarValue }[] };
  /** Every skip so far, recorded and new, in spec order. */
  skippedTasks: SkippedTask[];
}

/** The messages of TaskRuns the PipelineRun cancels (Tekton's wording). */
export const CancelMessage = {
  cancelled: 'TaskRun cancelled as the PipelineRun it belongs to has been cancelled.',
  timeout: 'TaskRun cancelled as the PipelineRun it belongs to has timed out.',
} as const;

export function emptyDecision(): Decision {
  return {
    start: [],
    retry: [],
    skip: [],
    cancelRunning: [],
    condition: { status: 'Unknown', reason: PipelineRunReason.Running, message: '' },
    skippedTasks: [],
  };
}

/** Records a new skip: in the decision, and in the facts so that the task's children see it skipped. */
export function skipTask(facts: RunFacts, decision: Decision, task: TPipelineTask, reason: SkippingReason): void {
  facts.skips.set(task.name, reason);
  decision.skip.push({ name: task.name, reason });
}

/** Cancel requests for the running TaskRuns of `tasks`. */
export function cancelRunning(facts: RunFacts, tasks: readonly TPipelineTask[], message: string): CancelRequest[] {
  return tasks.flatMap((t) =>
    facts
      .runsOf(t.name)
      .flatMap((r) => (r.status === 'Running' ? [{ task: t.name, matrixIndex: r.matrixIndex, message }] : [])),
  );
}

/** Where a queue starts tasks: the scope their params see, whether they are finally tasks, the time left. */
export interface QueueSlot {
  scope: Scope;
  isFinally: boolean;
  timeoutMs: number | undefined;
}

function plan(facts: RunFacts, task: TPipelineTask, slot: QueueSlot, attempt: number, onlyIndex?: number) {
  const { scope, isFinally, timeoutMs } = slot;
  const opts = { pipelineRunName: facts.input.pipelineRun.name, isFinally, attempt, timeoutMs, onlyIndex };
  const timeout = facts.input.taskRunTimeouts?.[task.name];
  return planTaskStart(timeout ? { ...task, timeout } : task, facts.spec, scope, facts.pipelineParams, opts);
}

/** Starts a task's TaskRuns (one per matrix combination), or skips it when its matrix is empty or over the cap. */
export function startTask(facts: RunFacts, decision: Decision, task: TPipelineTask, slot: QueueSlot): void {
  const planned = plan(facts, task, slot, 0);
  if (planned.ok) decision.start.push(...planned.starts);
  else if ('emptyMatrix' in planned) skipTask(facts, decision, task, SkippingReason.EmptyArrayInMatrixParams);
  else skipTask(facts, decision, task, matrixOverCapSkip(planned.overCap));
}

/** The next attempt of every failed TaskRun of a task that has retries left. */
export function retryTask(facts: RunFacts, decision: Decision, task: TPipelineTask, slot: QueueSlot): void {
  for (const r of facts.runsOf(task.name)) {
    if (!canRetry(task, r)) continue;
    const planned = plan(facts, task, slot, r.attempt + 1, r.matrixIndex);
    if (planned.ok) decision.retry.push(...planned.starts);
  }
}
