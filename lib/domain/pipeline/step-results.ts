import { parseResultValue, substituteArray, substituteString, substituteValue, type Scope } from './substitute';
import type { StepPlan } from './task-run-plan';
import type { ValidationError } from './validation-error';
import { findReferences, type VarValue } from './variables';

/**
 * Step results (Tekton's StepResults): a step that declares `results` (a StepAction's, or an inline
 * step's) writes them to `$(step.results.<r>.path)`, in its own folder rather than the task's. Later
 * steps read them as `$(steps.<step>.results.<r>)` (substituted just before that step starts, since
 * the value exists only then), and a Task publishes one with `results: [{name, value: $(steps.<step>.results.<r>)}]`.
 */
export type ResultType = 'string' | 'array' | 'object';

export interface StepResultDeclaration {
  name: string;
  type: ResultType;
}

/** Where `$(step.results.<r>.path)` points for step `step`, in Tekton's container paths. */
export function stepResultPath(step: string, result: string): string {
  return `/tekton/steps/step-${step}/results/${result}`;
}

/** The declared type, inferred from `properties` as Tekton does. */
export function declaredResultType(r: { type?: ResultType; properties?: unknown }): ResultType {
  return r.type ?? (r.properties ? 'object' : 'string');
}

/** `steps.<step>.results.<r>` entries from the files the steps wrote, typed by their declarations. */
export function stepResultScope(
  steps: readonly Pick<StepPlan, 'name' | 'results'>[],
  written: Readonly<Record<string, Readonly<Record<string, string>>>>,
): Record<string, VarValue> {
  const scope: Record<string, VarValue> = {};
  for (const step of steps) {
    for (const decl of step.results ?? []) {
      const text = written[step.name]?.[decl.name];
      if (text !== undefined) scope[`steps.${step.name}.results.${decl.name}`] = parseResultValue(text, decl.type);
    }
  }
  return scope;
}

/** A step with the step results of the steps before it filled in (script, command, args, env, workingDir, when). */
export function applyStepResults(step: StepPlan, scope: Scope): StepPlan {
  if (Object.keys(scope).length === 0 || !mentionsStepResults(step)) return step;
  return {
    ...step,
    script: step.script === undefined ? undefined : substituteString(step.script, scope),
    command: step.command && substituteArray(step.command, scope),
    args: step.args && substituteArray(step.args, scope),
    env: Object.fromEntries(Object.entries(step.env).map(([k, v]) => [k, substituteString(v, scope)])),
    workingDir: step.workingDir === undefined ? undefined : substituteString(step.workingDir, scope),
    ...(step.when
      ? {
          when: step.when.map((w) => ({
            ...w,
            input: substituteString(w.input, scope),
            values: substituteArray(w.values, scope),
          })),
        }
      : {}),
  };
}

/**
 * Task results whose `value` names a step result, as result file text (JSON for arrays and objects).
 * A value that still refers to a step result nobody wrote is left out, like an unwritten result file.
 */
export function taskResultsFromSteps(
  values: readonly { name: string; value: string }[],
  scope: Scope,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name, value } of values) {
    const resolved = substituteValue(value, scope);
    if (typeof resolved === 'string') {
      if (stepResultRefs([resolved]).length === 0) out[name] = resolved;
    } else out[name] = JSON.stringify(resolved);
  }
  return out;
}

interface StepResultRef {
  step: string;
  result: string;
  text: string;
}

function stepResultRefs(texts: readonly string[]): StepResultRef[] {
  return texts.flatMap((text) =>
    findReferences(text).flatMap((ref) => {
      const [root, step, kind, result] = ref.segments;
      return root === 'steps' && kind === 'results' && step && result ? [{ step, result, text: ref.text }] : [];
    }),
  );
}

function stepTexts(step: StepPlan): string[] {
  return [
    step.script ?? '',
    ...(step.command ?? []),
    ...(step.args ?? []),
    ...Object.values(step.env),
    step.workingDir ?? '',
    ...(step.when ?? []).flatMap((w) => [w.input, ...w.values]),
  ];
}

function mentionsStepResults(step: StepPlan): boolean {
  return stepTexts(step).some((t) => t.includes('$(steps.'));
}

/**
 * Every `$(steps.<s>.results.<r>)` must name an earlier step that declares `r` (a step's own or a
 * later step's results do not exist yet when it starts); a task result's `value` may name any step.
 */
export function checkStepResultReferences(
  steps: readonly StepPlan[],
  taskResults: readonly { name: string; value?: string }[],
  task: string,
): ValidationError[] {
  const errors: ValidationError[] = [];
  const declared = new Map(
    steps.map((s, i) => [s.name, { index: i, results: new Set((s.results ?? []).map((r) => r.name)) }]),
  );
  const check = (refs: StepResultRef[], path: string, before: number) => {
    for (const ref of refs) {
      const target = declared.get(ref.step);
      let problem: string | undefined;
      if (!target) problem = `there is no step "${ref.step}"`;
      else if (!target.results.has(ref.result)) problem = `step "${ref.step}" declares no result "${ref.result}"`;
      else if (target.index >= before) problem = `step "${ref.step}" does not run before it`;
      if (problem) {
        errors.push({
          reason: 'TaskRunValidationFailed',
          task,
          path,
          message: `${ref.text}: ${problem}`,
          hint: 'Refer to a result that an earlier step declares (in its StepAction or its own results) and writes to $(step.results.<name>.path).',
        });
      }
    }
  };
  steps.forEach((step, i) => check(stepResultRefs(stepTexts(step)), `spec.steps[${i}]`, i));
  for (const [i, r] of taskResults.entries())
    if (r.value !== undefined) check(stepResultRefs([r.value]), `spec.results[${i}].value`, steps.length);
  return errors;
}
