import { CONTEXT_VARIABLES } from './context-variables';
import type { TParamSpec, TParamValue } from './param-schemas';
import type { TPipelineTask } from './pipeline-schemas';
import { paramScope, substituteString } from './substitute';
import type { ValidationError } from './validation-error';
import { findReferences, stringsIn } from './variables';

const PIPELINE_CONTEXT = new Set<string>(CONTEXT_VARIABLES.filter((v) => v.place !== 'task').map((v) => v.name));
/** The prefixes Tekton's validatePipelineContextVariables checks: anything under them must be a known variable. */
const CHECKED_ROOTS = new Set(['pipelineRun', 'pipeline', 'pipelineTask']);

/** Param values of a pipeline task with their paths: params, matrix params and matrix include params. */
function paramValueFields(task: TPipelineTask): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  task.params?.forEach((p, i) => stringsIn(p.value).forEach((text) => out.push({ path: `params[${i}].value`, text })));
  task.matrix?.params?.forEach((p, i) =>
    stringsIn(p.value).forEach((text) => out.push({ path: `matrix.params[${i}].value`, text })),
  );
  task.matrix?.include?.forEach((inc, i) =>
    inc.params.forEach((p, j) => out.push({ path: `matrix.include[${i}].params[${j}].value`, text: p.value })),
  );
  return out;
}

/** `$(context.pipelineRun.x)`, `$(context.pipeline.x)` and `$(context.pipelineTask.x)` must name a known variable. */
export function checkContextReferences(task: TPipelineTask, base: string): ValidationError[] {
  const errors: ValidationError[] = [];
  for (const { path, text } of paramValueFields(task)) {
    for (const ref of findReferences(text)) {
      const name = ref.segments.join('.');
      if (ref.segments[0] !== 'context' || !CHECKED_ROOTS.has(ref.segments[1]) || PIPELINE_CONTEXT.has(name)) continue;
      errors.push({
        reason: 'PipelineValidationFailed',
        task: task.name,
        path: `${base}.${path}`,
        message: `non-existent variable in "${text}"`,
        hint: `A pipeline task can use ${[...PIPELINE_CONTEXT].map((n) => `$(${n})`).join(', ')}.`,
      });
    }
  }
  return errors;
}

/**
 * A pipeline task's onError (Tekton's PipelineTask.ValidateOnError), checked once a `$(params.x)` in it is known:
 * "continue" or "stopAndFail", and not "continue" together with retries.
 */
export function checkPipelineTaskOnError(
  task: TPipelineTask,
  base: string,
  pipelineParams: ReadonlyMap<string, TParamSpec>,
  runValues: ReadonlyMap<string, TParamValue>,
): ValidationError[] {
  if (task.onError === undefined) return [];
  const values: Record<string, TParamValue> = {};
  for (const [name, spec] of pipelineParams) {
    const value = runValues.get(name) ?? spec.default;
    if (value !== undefined) values[name] = value;
  }
  const value = substituteString(task.onError, paramScope(values));
  // Not known before the run (a Pipeline applied on its own): checked when a run gives the param.
  if (value.includes('$(')) return [];
  const error = (message: string, hint: string): ValidationError[] => [
    { reason: 'PipelineValidationFailed', task: task.name, path: `${base}.onError`, message, hint },
  ];
  if (value !== 'continue' && value !== 'stopAndFail') {
    return error(
      `invalid value: ${value}: PipelineTask OnError must be either "continue" or "stopAndFail"`,
      task.onError === value
        ? 'Set onError to "continue" or "stopAndFail".'
        : `Give ${task.onError} the value "continue" or "stopAndFail".`,
    );
  }
  if (value === 'continue' && (task.retries ?? 0) > 0) {
    return error(
      'PipelineTask OnError cannot be set to "continue" when Retries is greater than 0',
      'Remove retries, or use onError: stopAndFail.',
    );
  }
  return [];
}
