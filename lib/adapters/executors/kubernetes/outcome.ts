/** The TaskRunOutcome of a pod's run, in the same words as the local executor's (messages, step reasons). */
import { formatGoDuration } from '../../../domain/pipeline/duration';
import type { StepOutcome, TaskRunOutcome, TaskRunPlan } from '../../../domain/pipeline/task-run-plan';

export const SUCCESS_MESSAGE = 'All Steps have completed executing';

export type OutcomeReason = TaskRunOutcome['reason'];

const REASONS: ReadonlySet<string> = new Set<OutcomeReason>([
  'Succeeded',
  'Failed',
  'TaskRunTimeout',
  'TaskRunCancelled',
  'TaskRunImagePullFailed',
  'CreateContainerConfigError',
  'PodCreationFailed',
  'PodAdmissionFailed',
  'ExceededResourceQuota',
  'ExceededNodeResources',
]);

/** A reason from the pod reader as one of the outcome's; anything else is a plain failure. */
export function outcomeReason(reason: string | undefined): OutcomeReason {
  return reason && REASONS.has(reason) ? (reason as OutcomeReason) : 'Failed';
}

export function skipped(name: string, message?: string): StepOutcome {
  return {
    name,
    exitCode: null,
    startedAt: null,
    finishedAt: null,
    reason: 'Skipped',
    ...(message ? { message } : {}),
  };
}

/** A TaskRun that ended before any pod ran (or with no step run): every step skipped. */
export function failedBeforePod(plan: TaskRunPlan, reason: OutcomeReason, message: string): TaskRunOutcome {
  return {
    status: 'Failed',
    reason,
    message,
    steps: plan.steps.map((s) => skipped(s.name)),
    results: {},
    sandbox: 'kubernetes',
  };
}

export const cancelledMessage = (plan: TaskRunPlan, step?: string) =>
  step
    ? `TaskRun "${plan.taskRunName}" was cancelled while step "${step}" was running`
    : `TaskRun "${plan.taskRunName}" was cancelled`;

export const timeoutMessage = (plan: TaskRunPlan, step?: string) =>
  `TaskRun "${plan.taskRunName}" failed to finish within "${formatGoDuration(plan.timeoutMs ?? 0)}"${
    step ? `; step "${step}" was killed` : ''
  }`;
