import { formatGoDuration } from './duration';
import { finishCondition, type PipelineRunCondition } from './finish-pipeline-run';
import { PipelineRunReason, SkippingReason, TaskRunReason } from './reasons';
import type { RunFacts } from './run-facts';
import type { TaskPhase } from './run-state';

/** Tekton's running message: "Tasks Completed: 2 (Failed: 0, Cancelled 0), Incomplete: 3, Skipped: 1". */
export function progressMessage(phases: readonly TaskPhase[]): string {
  const count = (...ps: TaskPhase[]) => phases.filter((p) => ps.includes(p)).length;
  return `Tasks Completed: ${count('succeeded', 'failed', 'ignored', 'cancelled')} (Failed: ${count('failed', 'ignored')}, Cancelled ${count('cancelled')}), Incomplete: ${count('pending', 'running', 'retrying')}, Skipped: ${count('skipped')}`;
}

export function pendingCondition(): PipelineRunCondition {
  return { status: 'Unknown', reason: PipelineRunReason.Pending, message: 'PipelineRun is pending' };
}

/**
 * The condition of a run that has not ended: a graceful cancel or stop says so while finally tasks
 * run; `stopping` (a task failed) says the run will fail once what runs has ended.
 */
export function runningCondition(facts: RunFacts, stopping: boolean): PipelineRunCondition {
  const reason = facts.gracefullyCancelled
    ? PipelineRunReason.CancelledRunningFinally
    : facts.gracefullyStopped
      ? PipelineRunReason.StoppedRunningFinally
      : stopping
        ? PipelineRunReason.Stopping
        : PipelineRunReason.Running;
  return { status: 'Unknown', reason, message: progressMessage(facts.allTasks.map(facts.phase)) };
}

/** The condition of a run past its pipeline timeout: "PipelineRun "x" failed to finish within "1h0m0s"". */
export function pipelineTimeoutCondition(facts: RunFacts): PipelineRunCondition {
  const within = formatGoDuration(facts.budgets.pipeline);
  const message = `PipelineRun "${facts.input.pipelineRun.name}" failed to finish within "${within}"`;
  return { status: 'False', reason: PipelineRunReason.Timeout, message };
}

/** A tasks or finally timeout cut the run short (a hard timeout's own cancels do not count under a graceful cancel). */
export function runTimedOut(facts: RunFacts, finallyTimedOut: boolean): boolean {
  const timeoutSkip = [...facts.skips.values()].some(
    (r) => r === SkippingReason.TasksTimedOut || r === SkippingReason.FinallyTimedOut,
  );
  const cancelledByTasksTimeout =
    facts.tasksTimedOut && facts.dagTasks.some((t) => facts.phase(t) === 'cancelled') && !facts.gracefullyCancelled;
  return timeoutSkip || finallyTimedOut || cancelledByTasksTimeout;
}

/** The condition of a run that has ended (Tekton's `GetPipelineConditionStatus` for a done run). */
export function finalCondition(facts: RunFacts, timedOut: boolean): PipelineRunCondition {
  return finishCondition(facts.allTasks.map(facts.phase), facts.allTasks, {
    specStatus: facts.input.specStatus,
    runName: facts.input.pipelineRun.name,
    timedOut,
    taskRunTimedOut: (task) => facts.runsOf(task).some((r) => r.reason === TaskRunReason.Timeout),
  });
}
