import type { TParam, TParamSpec, TParamValue } from './param-schemas';
import type { TPipelineSpec } from './pipeline-schemas';
import { applyParamDefaults } from './params';
import {
  mapPipelineTasks,
  paramScope,
  substitutedLength,
  substitutedValueLength,
  substituteString,
} from './substitute';
import { findReferences } from './variables';

/** How deep one default may lean on another (Tekton's maxParamReferenceDepth). */
const MAX_DEPTH = 10;

/**
 * How long a default may become once the params it uses are put in (characters; for an array or object default,
 * all its elements together): a default repeating a param that repeats another would otherwise grow
 * exponentially with the depth.
 */
export const MAX_RESOLVED_DEFAULT_LENGTH = 64 * 1024;

export interface ResolvedPipelineParams {
  values: Record<string, TParamValue>;
  /**
   * Why a default could not be resolved, with the param's index in the declarations; empty when all were.
   * `tooLong` marks a default that would outgrow MAX_RESOLVED_DEFAULT_LENGTH (it is left unresolved).
   */
  problems: { index: number; message: string; tooLong?: true }[];
}

/**
 * A Pipeline's param values as Tekton's pipelinerun ApplyParameters builds them: the run's values as given, then
 * defaults, where a string default may use other params (`default: $(params.registry)/app:$(params.tag)`),
 * resolved in any declaration order, at most 10 deep, a cycle or an unknown param being an error; array and
 * object defaults get the resolved strings substituted into their elements.
 */
export function resolvePipelineParams(
  declared: readonly TParamSpec[] | undefined,
  provided: Readonly<Record<string, TParamValue>>,
): ResolvedPipelineParams {
  const values = applyParamDefaults(declared, provided);
  const problems: ResolvedPipelineParams['problems'] = [];
  const index = new Map((declared ?? []).map((p, i) => [p.name, i]));
  const pending = new Map<string, string>();
  for (const p of declared ?? []) {
    if (!(p.name in provided) && typeof p.default === 'string' && p.default.includes('$('))
      pending.set(p.name, p.default);
  }
  const resolved = new Set(Object.keys(values).filter((n) => !pending.has(n)));
  const visiting = new Set<string>();
  const tooLong = (name: string, length: number) => {
    problems.push({
      index: index.get(name) ?? 0,
      message: `parameter resolution failed: the default of param "${name}" would be ${length} characters long once the params it uses are put in; at most ${MAX_RESOLVED_DEFAULT_LENGTH} are allowed`,
      tooLong: true,
    });
    return false;
  };

  const resolve = (name: string, depth: number): boolean => {
    if (resolved.has(name)) return true;
    const fail = (message: string) => {
      problems.push({ index: index.get(name) ?? 0, message: `parameter resolution failed: ${message}` });
      return false;
    };
    if (visiting.has(name)) return fail(`circular dependency detected in param "${name}"`);
    if (depth > MAX_DEPTH) return fail(`maximum recursion depth (${MAX_DEPTH}) exceeded for param "${name}"`);
    visiting.add(name);
    const text = pending.get(name) ?? '';
    for (const ref of findReferences(text)) {
      const dep = ref.segments[1];
      if (ref.segments[0] !== 'params' || dep === undefined || resolved.has(dep)) continue;
      const ok = pending.has(dep)
        ? resolve(dep, depth + 1)
        : fail(`param "${name}" references undefined param "${dep}"`);
      if (!ok) {
        visiting.delete(name);
        return false;
      }
    }
    visiting.delete(name);
    const scope = paramScope(values);
    const length = substitutedLength(text, scope);
    if (length > MAX_RESOLVED_DEFAULT_LENGTH) return tooLong(name, length);
    values[name] = substituteString(text, scope);
    resolved.add(name);
    return true;
  };
  for (const name of pending.keys()) if (!resolve(name, 0)) break;

  // Array and object defaults see the resolved strings (Tekton's phases 4 and 5).
  const scope = paramScope(values);
  for (const p of declared ?? []) {
    const value = values[p.name];
    if (p.name in provided || typeof value === 'string' || value === undefined) continue;
    const length = substitutedValueLength(value, scope);
    if (length > MAX_RESOLVED_DEFAULT_LENGTH) {
      tooLong(p.name, length);
      continue;
    }
    values[p.name] = Array.isArray(value)
      ? value.map((v) => substituteString(v, scope))
      : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteString(v, scope)]));
  }
  return { values, problems };
}

/**
 * The spec with `taskRef.name: $(params.x)` substituted from the run's params and the defaults (upstream's
 * ApplyParameters substitutes taskRef names too), so the run resolves and freezes the Task it names.
 */
export function withTaskRefNamesResolved(spec: TPipelineSpec, runParams: readonly TParam[] | undefined): TPipelineSpec {
  const provided = Object.fromEntries((runParams ?? []).map((p) => [p.name, p.value]));
  const scope = paramScope(resolvePipelineParams(spec.params, provided).values);
  return mapPipelineTasks(
    spec,
    (t) => t.taskRef?.name.includes('$(') === true,
    (t) => ({ ...t, taskRef: t.taskRef && { ...t.taskRef, name: substituteString(t.taskRef.name, scope) } }),
  );
}
