import { paramSpecType, valueType, type TParamSpec, type TParamType, type TParamValue } from './param-schemas';
import type { TPipelineTask } from './pipeline-schemas';
import type { TTaskSpec } from './task-schemas';
import { findReferences } from './variables';

/** What validation knows of a pipeline: its params (declared or propagated from the run) and its tasks' specs. */
export interface ReferenceTypeContext {
  pipelineParams: ReadonlyMap<string, TParamSpec>;
  /** Every pipeline task by name, with its Task spec when it was resolved. */
  tasks: ReadonlyMap<string, { task: TPipelineTask; spec?: TTaskSpec }>;
}

/** 'unknown': only the run can tell (a result of a Task that could not be resolved, of a child pipeline…). */
export type InferredType = TParamType | 'unknown';

/** The declared type of a Task result (`type`, or object when it has properties). */
export function resultType(result: { type?: TParamType; properties?: unknown }): TParamType {
  return result.type ?? (result.properties ? 'object' : 'string');
}

/**
 * The type a pipeline task param value has once substituted, as Tekton's ParamValue.applyOrCorrect decides it: a
 * string that is exactly one reference to a whole array or object (`$(params.list[*])`, `$(params.obj[*])`,
 * `$(tasks.t.results.list)`, `$(tasks.t.results.obj[*])`, with or without `[*]`) becomes that array or object;
 * an element (`[0]`), an object key (`.key`) or any other text stays a string. A string result of a matrixed
 * task is the array of its TaskRuns' values.
 */
export function inferValueType(value: TParamValue, ctx: ReferenceTypeContext): InferredType {
  if (typeof value !== 'string') return valueType(value);
  const refs = findReferences(value);
  if (refs.length !== 1 || refs[0].text !== value.trim()) return 'string';
  const [{ segments, index }] = refs;
  if (typeof index === 'number') return 'string';
  const [root, name, kind, result, ...rest] = segments;
  if (root === 'params') {
    if (segments.length > 2) return 'string';
    const declared = ctx.pipelineParams.get(name);
    // An undeclared param is reported on its own (undeclaredParamRefs).
    return declared ? paramSpecType(declared) : 'unknown';
  }
  if (root === 'tasks' && kind === 'results' && result !== undefined) {
    if (rest.length > 0) return 'string';
    const producer = ctx.tasks.get(name);
    const declared = producer?.spec?.results?.find((r) => r.name === result);
    // A missing task or result is reported by the graph checks; an unresolved Task is only known at run time.
    if (!producer || !declared) return 'unknown';
    const type = resultType(declared);
    if (producer.task.matrix) return type === 'string' ? 'array' : 'unknown';
    return type;
  }
  return 'string';
}
