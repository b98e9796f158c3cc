import type { TPipelineSpec, TPipelineTask } from './pipeline-schemas';
import { findReferences, parseReference, type VarRef, type VarValue } from './variables';

/**
 * Values by canonical dotted key: `params.x`, `context.taskRun.name`, `tasks.build.results.sha`,
 * `workspaces.src.path`. Object members (`params.obj.key`) are found through their parent.
 */
export type Scope = Readonly<Record<string, VarValue>>;

/** What a reference resolves to in this scope, or undefined when it names nothing (left as-is). */
export function lookup(ref: Pick<VarRef, 'segments' | 'index'>, scope: Scope): VarValue | undefined {
  let value: VarValue | undefined = scope[ref.segments.join('.')];
  if (value === undefined && ref.segments.length > 1) {
    const parent = scope[ref.segments.slice(0, -1).join('.')];
    const key = ref.segments[ref.segments.length - 1];
    if (parent !== undefined && typeof parent === 'object' && !Array.isArray(parent) && key in parent)
      value = parent[key];
  }
  if (value === undefined || ref.index === undefined || ref.index === '*') return value;
  if (!Array.isArray(value)) return undefined;
  return value[ref.index];
}

function asText(value: VarValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * How long any one text may become once substituted, and the strings of a Task spec or of one StepAction a step
 * inlines all together (characters): text repeating a long param would otherwise be built in full, however often
 * it repeats it.
 */
export const MAX_SUBSTITUTED_LENGTH = 8 * 1024 * 1024;

/** Thrown, before anything is built, by ensureSubstitutedSize, and by substituteString for any one text. */
export class SubstitutionTooLong extends Error {
  constructor(
    readonly what: string,
    readonly length: number,
    atLeast = false,
  ) {
    super(
      `${what} would be ${atLeast ? 'more than ' : ''}${length} characters long once the params, results and context it uses are put in; at most ${MAX_SUBSTITUTED_LENGTH} are allowed`,
    );
    this.name = 'SubstitutionTooLong';
  }
}

/**
 * Replaces every known `$(…)` inside a string. Arrays and objects used inside a larger string are
 * written as JSON (Tekton refuses them at validation; see validate-pipeline). Unknown references
 * stay as they are, as in Tekton.
 */
export function substituteString(text: string, scope: Scope): string {
  if (!text.includes('$(')) return text;
  // Counted as it goes, so that text repeating a long value throws before the result is built.
  let length = text.length;
  return text.replace(/\$\(([^()]+)\)/g, (whole, inner: string) => {
    const ref = parseReference(inner);
    const value = ref ? lookup(ref, scope) : undefined;
    if (value === undefined) return whole;
    const out = asText(value);
    length += out.length - whole.length;
    if (length > MAX_SUBSTITUTED_LENGTH) throw new SubstitutionTooLong('a text', MAX_SUBSTITUTED_LENGTH, true);
    return out;
  });
}

/** The length `substituteString(text, scope)` would have, found without building it. */
export function substitutedLength(text: string, scope: Scope): number {
  let length = text.length;
  for (const ref of findReferences(text)) {
    const value = lookup(ref, scope);
    if (value !== undefined) length += asText(value).length - ref.text.length;
  }
  return length;
}

/** The length of a param value once substituted: a string's, or all elements of an array or object together. */
export function substitutedValueLength(
  value: string | readonly string[] | Readonly<Record<string, string>>,
  scope: Scope,
) {
  if (typeof value === 'string') return substitutedLength(value, scope);
  const parts = Array.isArray(value) ? value : Object.values(value);
  return parts.reduce((sum: number, v: string) => sum + substitutedLength(v, scope), 0);
}

/** The single reference that makes up the whole string, if it is one (`"$(params.arr[*])"`). */
function wholeReference(text: string): VarRef | undefined {
  const refs = findReferences(text);
  return refs.length === 1 && refs[0].text === text.trim() ? refs[0] : undefined;
}

/**
 * For `command`, `args` and array params: an element that is exactly an array reference
 * (`$(params.flags[*])`, `$(tasks.t.results.list[*])`) expands into that many elements.
 */
export function substituteArray(items: readonly string[], scope: Scope): string[] {
  const out: string[] = [];
  for (const item of items) {
    const ref = wholeReference(item);
    const value = ref ? lookup(ref, scope) : undefined;
    if (Array.isArray(value) && (ref?.index === '*' || ref?.index === undefined)) out.push(...value);
    else out.push(substituteString(item, scope));
  }
  return out;
}

/**
 * A param value: a string that is exactly one whole array or object reference becomes that array
 * or object (`value: $(params.list[*])`); everything else is substituted element by element.
 */
export function substituteValue(value: VarValue, scope: Scope): VarValue {
  if (typeof value === 'string') {
    const ref = wholeReference(value);
    const resolved = ref ? lookup(ref, scope) : undefined;
    if (resolved !== undefined && typeof resolved !== 'string' && (ref?.index === '*' || ref?.index === undefined)) {
      return Array.isArray(resolved) ? [...resolved] : { ...resolved };
    }
    return substituteString(value, scope);
  }
  if (Array.isArray(value)) return substituteArray(value, scope);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteString(v, scope)]));
}

/**
 * Adds `params.<name>` entries for a set of param values. With `legacy` (a Task's scope, not a Pipeline's)
 * also `inputs.params.<name>`, the v1alpha1 form Tekton's TaskRun substitution still rewrites.
 */
export function paramScope(
  params: Readonly<Record<string, VarValue>>,
  options: { legacy?: boolean } = {},
): Record<string, VarValue> {
  const prefixes = options.legacy ? ['params', 'inputs.params'] : ['params'];
  return Object.fromEntries(
    Object.entries(params).flatMap(([name, value]) => prefixes.map((prefix) => [`${prefix}.${name}`, value])),
  );
}

const isParamKey = (key: string) => key.startsWith('params.') || key.startsWith('inputs.params.');

/**
 * Tekton substitutes params first and context, workspace, result-path and exit-code variables in later passes, so
 * a param value may use those (`default: $(context.taskRun.name)`, `value: $(context.pipelineRun.name)-x`): the
 * scope's param values get the other entries substituted into them, in place. A param inside a param stays as is.
 */
export function applyLaterPasses(scope: Record<string, VarValue>): Record<string, VarValue> {
  const rest = Object.fromEntries(Object.entries(scope).filter(([key]) => !isParamKey(key)));
  for (const [key, value] of Object.entries(scope)) {
    if (!isParamKey(key)) continue;
    if (typeof value === 'string') scope[key] = substituteString(value, rest);
    else if (Array.isArray(value)) scope[key] = value.map((v) => substituteString(v, rest));
    else scope[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteString(v, rest)]));
  }
  return scope;
}

/** Adds `tasks.<task>.results.<name>` entries. */
export function taskResultScope(
  results: Readonly<Record<string, Readonly<Record<string, VarValue>>>>,
): Record<string, VarValue> {
  const out: Record<string, VarValue> = {};
  for (const [task, values] of Object.entries(results)) {
    for (const [name, value] of Object.entries(values)) out[`tasks.${task}.results.${name}`] = value;
  }
  return out;
}

/**
 * A result file's verbatim text as Tekton reads it: array and object results are JSON, and a
 * value that does not parse as the declared type stays a string.
 */
export function parseResultValue(text: string, type: 'string' | 'array' | 'object' = 'string'): VarValue {
  if (type === 'string') return text;
  try {
    const parsed: unknown = JSON.parse(text);
    if (type === 'array' && Array.isArray(parsed))
      return parsed.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    if (type === 'object' && parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return Object.fromEntries(
        Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
      );
    }
  } catch {
    // Not JSON: fall through and keep the text.
  }
  return text;
}

/** The spec with `change` applied to the tasks (and finally tasks) `needs` picks; the same spec when none is. */
export function mapPipelineTasks(
  spec: TPipelineSpec,
  needs: (t: TPipelineTask) => boolean,
  change: (t: TPipelineTask) => TPipelineTask,
): TPipelineSpec {
  if (!spec.tasks.some(needs) && !spec.finally?.some(needs)) return spec;
  const map = (t: TPipelineTask) => (needs(t) ? change(t) : t);
  return { ...spec, tasks: spec.tasks.map(map), ...(spec.finally ? { finally: spec.finally.map(map) } : {}) };
}

/** The spec with each pipeline task's `onError: $(params.x)` substituted, as Tekton applies pipeline params to it. */
export function withOnErrorResolved(spec: TPipelineSpec, scope: Scope): TPipelineSpec {
  return mapPipelineTasks(
    spec,
    (t) => t.onError?.includes('$(') === true,
    (t) => ({ ...t, onError: substituteString(t.onError ?? '', scope) }),
  );
}
