import { paramSpecType, type TParamSpec, type TParamValue } from './param-schemas';
import type { TPipelineTask } from './pipeline-schemas';
import type { ValidationError } from './validation-error';
import { findReferences, type VarRef } from './variables';

/**
 * How a pipeline task may use array and object params (Tekton's validatePipelineParametersVariablesInTaskParameters,
 * its matrix and when counterparts): a whole array or object only as the whole of a value (`$(params.list[*])`), an
 * array inside a list only as a whole element, an object only by its declared keys; an element (`[0]`) anywhere.
 */
export function checkParamUsage(
  task: TPipelineTask,
  base: string,
  pipelineParams: ReadonlyMap<string, TParamSpec>,
): ValidationError[] {
  const errors: ValidationError[] = [];
  const report = (path: string, message: string, hint: string) =>
    errors.push({ reason: 'PipelineValidationFailed', task: task.name, path: `${base}.${path}`, message, hint });

  /** `allowWhole`: the text is a whole param value, where `$(params.x[*])` alone passes a whole array or object on. */
  const checkText = (text: string, path: string, context: 'value' | 'element', allowWhole = false) => {
    const refs = findReferences(text).filter((r) => r.segments[0] === 'params' && pipelineParams.has(r.segments[1]));
    const whole = refs.length === 1 && refs[0].text === text && (context === 'element' || allowWhole);
    for (const ref of refs) {
      const spec = pipelineParams.get(ref.segments[1])!;
      const problem = usageProblem(ref, spec, context, whole);
      if (problem === 'type') report(path, `variable type invalid in "${text}"`, wholeHint(ref, spec, context));
      else if (problem === 'isolated')
        report(path, `variable is not properly isolated in "${text}"`, wholeHint(ref, spec, context));
      else if (problem === 'key')
        report(
          path,
          `non-existent variable in "${text}"`,
          `Object param "${ref.segments[1]}" declares the keys ${Object.keys(spec.properties ?? {}).join(', ')}.`,
        );
    }
  };
  const checkElements = (values: readonly string[], path: string) =>
    values.forEach((v, i) => checkText(v, `${path}[${i}]`, 'element'));
  const checkValue = (value: TParamValue, path: string) => {
    if (typeof value === 'string') checkText(value, path, 'value', true);
    else if (Array.isArray(value)) checkElements(value, path);
    else for (const [k, v] of Object.entries(value)) checkText(v, `${path}.${k}`, 'value');
  };

  task.params?.forEach((p, i) => checkValue(p.value, `params[${i}].value`));
  // Matrix: Tekton checks the elements of list values only.
  task.matrix?.params?.forEach((p, i) => Array.isArray(p.value) && checkElements(p.value, `matrix.params[${i}].value`));
  task.when?.forEach((w, i) => {
    checkText(w.input, `when[${i}].input`, 'value');
    checkElements(w.values, `when[${i}].values`);
  });
  return errors;
}

type Problem = 'type' | 'isolated' | 'key' | undefined;

/** `context` is where the text sits: a string (a param value, an object's value, a when input) or a list element. */
function usageProblem(ref: VarRef, spec: TParamSpec, context: 'value' | 'element', whole: boolean): Problem {
  const type = paramSpecType(spec);
  if (typeof ref.index === 'number') return undefined;
  if (type === 'array') {
    if (ref.segments.length > 2) return 'type';
    if (context === 'value') return whole && ref.index === '*' ? undefined : 'type';
    return whole ? undefined : 'isolated';
  }
  if (type === 'object') {
    if (ref.segments.length === 2) return context === 'value' && whole && ref.index === '*' ? undefined : 'type';
    const key = ref.segments[2];
    return spec.properties && !(key in spec.properties) ? 'key' : undefined;
  }
  return undefined;
}

function wholeHint(ref: VarRef, spec: TParamSpec, context: 'value' | 'element'): string {
  const name = ref.segments[1];
  return paramSpecType(spec) === 'array' && context === 'element'
    ? `Give $(params.${name}[*]) as a list element of its own, or one element as $(params.${name}[0]).`
    : `Pass the whole ${paramSpecType(spec)} as the whole value, "$(params.${name}[*])", or one ${
        paramSpecType(spec) === 'array' ? `element as $(params.${name}[0])` : `key as $(params.${name}.<key>)`
      }.`;
}
