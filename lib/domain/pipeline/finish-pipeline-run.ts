import type { ConditionStatus } from './pipeline-run-states';
import type { TPipelineSpec, TPipelineTask } from './pipeline-schemas';
import { PipelineRunReason } from './reasons';
import type { TPipelineRunSpecStatus } from './run-schemas';
import type { TaskPhase } from './run-state';
import { MAX_TASK_PARAM_LENGTH } from './plan-task-start';
import { lookup, substitutedValueLength, substituteValue, type Scope } from './substitute';
import { findReferences, resultReferences, stringsIn, type VarValue } from './variables';

export interface PipelineRunCondition {
  status: ConditionStatus;
  reason: PipelineRunReason;
  message: string;
}

export interface FinishOptions {
  specStatus?: TPipelineRunSpecStatus;
  /** A tasks, finally or pipeline timeout cut the run short. */
  timedOut: boolean;
  /** Whether a task's failure was its own timeout (TaskRunTimeout). */
  taskRunTimedOut: (task: string) => boolean;
  /** The run's name, for the message of a run that ended after a graceful cancel or stop. */
  runName?: string;
}

/**
 * The final condition. Tasks still running at this point are being cancelled (hard cancel or
 * pipeline timeout) and count as cancelled. Message: "Tasks Completed: N (Failed: f, Cancelled c), Skipped: s".
 */
export function finishCondition(
  phases: readonly TaskPhase[],
  tasks: readonly TPipelineTask[],
  opts: FinishOptions,
): PipelineRunCondition {
  const effective = phases.map((p) => (p === 'running' || p === 'retrying' ? 'cancelled' : p));
  const count = (p: TaskPhase) => effective.filter((e) => e === p).length;
  const failed = count('failed');
  const ignored = count('ignored');
  const cancelled = count('cancelled');
  const skipped = count('skipped');
  const completed = count('succeeded') + failed + ignored + cancelled;
  const failedText = ignored > 0 ? `${failed + ignored} (Ignored: ${ignored})` : String(failed);
  const message = `Tasks Completed: ${completed} (Failed: ${failedText}, Cancelled ${cancelled}), Skipped: ${skipped}`;

  if (opts.specStatus === 'Cancelled') return { status: 'False', reason: PipelineRunReason.Cancelled, message };
  if (opts.timedOut) return { status: 'False', reason: PipelineRunReason.Timeout, message };
  if (failed > 0) {
    const failedTasks = tasks.filter((_, i) => effective[i] === 'failed');
    const allTimeouts = failedTasks.every((t) => opts.taskRunTimedOut(t.name));
    return {
      status: 'False',
      reason: allTimeouts ? PipelineRunReason.TaskRunTimeout : PipelineRunReason.Failed,
      message,
    };
  }
  // Tekton's GetPipelineConditionStatus: once finally has ended, a graceful cancel or stop ends as Cancelled
  // (CancelledRunningFinally / StoppedRunningFinally are only shown while finally tasks run).
  if (opts.specStatus === 'CancelledRunFinally' || opts.specStatus === 'StoppedRunFinally')
    return {
      status: 'False',
      reason: PipelineRunReason.Cancelled,
      message: `PipelineRun "${opts.runName}" was cancelled`,
    };
  if (cancelled > 0) return { status: 'False', reason: PipelineRunReason.Cancelled, message };
  return { status: 'True', reason: skipped > 0 ? PipelineRunReason.Completed : PipelineRunReason.Successful, message };
}

/**
 * Pipeline results with every `$(tasks.T.results.R)` resolved. A result that reads a task which
 * did not succeed, or a result that was not written, is left out; so is one that would be longer than
 * MAX_TASK_PARAM_LENGTH (it is not built).
 */
export function pipelineResults(
  spec: TPipelineSpec,
  task: (name: string) => TPipelineTask | undefined,
  phase: (t: TPipelineTask) => TaskPhase,
  scope: Scope,
): { name: string; value: VarValue }[] {
  const out: { name: string; value: VarValue }[] = [];
  for (const result of spec.results ?? []) {
    const texts = stringsIn(result.value);
    const refsOk = resultReferences(texts).every((ref) => {
      const t = task(ref.task);
      return t !== undefined && phase(t) === 'succeeded';
    });
    const allKnown = texts.every((text) =>
      findReferences(text).every(
        (ref) => (ref.segments[0] !== 'tasks' && ref.segments[0] !== 'finally') || lookup(ref, scope) !== undefined,
      ),
    );
    const fits = () => substitutedValueLength(result.value, scope) <= MAX_TASK_PARAM_LENGTH;
    if (refsOk && allKnown && fits()) out.push({ name: result.name, value: substituteValue(result.value, scope) });
  }
  return out;
}
