import type { StepOutcome, TaskRunPlan } from '../../../domain/pipeline/task-run-plan';
import { formatGoDuration } from '../../../domain/pipeline/duration';
import type { StepEnd } from './run-step';

/** A step that did not run; `message` says why when it is not the end of the TaskRun before it. */
export function skippedStep(name: string, message?: string): StepOutcome {
  return {
    name,
    exitCode: null,
    startedAt: null,
    finishedAt: null,
    reason: 'Skipped',
    ...(message === undefined ? {} : { message }),
  };
}

export function endBeforeStep(
  plan: TaskRunPlan,
  signal: AbortSignal | undefined,
  deadline: number | undefined,
): StepEnd | undefined {
  if (signal?.aborted) return { reason: 'TaskRunCancelled', message: `TaskRun "${plan.taskRunName}" was cancelled` };
  if (deadline !== undefined && Date.now() >= deadline) {
    return {
      reason: 'TaskRunTimeout',
      message: `TaskRun "${plan.taskRunName}" failed to finish within "${formatGoDuration(plan.timeoutMs ?? 0)}"`,
    };
  }
  return undefined;
}

/** Calls hooks one after another without making the steps wait for them. */
export class HookQueue {
  private chain: Promise<void> = Promise.resolve();
  constructor(private readonly onError: (error: unknown) => void) {}
  push(call: () => Promise<void> | void): void {
    this.chain = this.chain.then(async () => {
      try {
        await call();
      } catch (error) {
        this.onError(error);
      }
    });
  }
  drain(): Promise<void> {
    return this.chain;
  }
}
