import type { TStep } from './task-schemas';
import type { StepPlan } from './task-run-plan';
import { substituteArray, substituteString, type Scope } from './substitute';
import { whenHolds } from './when';

/**
 * A step's `when` expressions (Tekton's StepWhenExpressions): substituted with the TaskRun's params
 * and context when the plan is made, with earlier steps' results right before the step (see
 * applyStepResults); a step whose expressions do not all hold is skipped and the TaskRun goes on.
 */
export function resolveStepWhen(step: Pick<TStep, 'when'>, scope: Scope): Pick<StepPlan, 'when'> {
  if (!step.when?.length) return {};
  return {
    when: step.when.map((w) => ({
      input: substituteString(w.input, scope),
      operator: w.operator,
      values: substituteArray(w.values, scope),
    })),
  };
}

/** Why the step is skipped, or undefined when it runs. */
export function stepWhenSkip(step: Pick<StepPlan, 'when'>): string | undefined {
  const failing = (step.when ?? []).find((w) => !whenHolds(w));
  if (!failing) return undefined;
  return `when expression "${failing.input}" ${failing.operator} ${JSON.stringify(failing.values)} was false, so the step was skipped`;
}
