import { paramSpecType, valueType, type TParamSpec, type TParamType, type TParamValue } from './param-schemas';
import type { ValidationError } from './validation-error';

export interface ProvidedParam {
  value: TParamValue;
  /** Where it was given, for error paths. */
  path: string;
  /**
   * The type the value has once substituted, when it is a reference (reference-types.ts); 'unknown' when only the
   * run can tell, which the type check then leaves to the TaskRun (as Tekton does for result references).
   */
  type?: TParamType | 'unknown';
}

export interface ParamCheckContext {
  task?: string;
  /** Path where a missing param should be reported, e.g. `spec.params` of the run. */
  path: string;
  /** Who is expected to provide the value, for messages: "the PipelineRun", "pipeline task \"build\"". */
  provider: string;
}

/**
 * Checks provided values against declarations: every param without a default is provided, types
 * match, enum values hold, and object params have every declared key.
 */
export function checkParams(
  declared: readonly TParamSpec[] | undefined,
  provided: ReadonlyMap<string, ProvidedParam>,
  ctx: ParamCheckContext,
): ValidationError[] {
  const errors: ValidationError[] = [];
  const where = ctx.task ? ` of task "${ctx.task}"` : '';
  for (const spec of declared ?? []) {
    const type = paramSpecType(spec);
    const given = provided.get(spec.name);
    if (!given) {
      if (spec.default === undefined) {
        errors.push({
          reason: 'ParameterMissing',
          task: ctx.task,
          path: ctx.path,
          message: `param "${spec.name}"${where} has no default and ${ctx.provider} does not provide it`,
          hint: `Add {name: ${spec.name}, value: ...} to ${ctx.path}, or give the param a default.`,
        });
      }
      continue;
    }
    const givenType = given.type ?? valueType(given.value);
    if (givenType !== 'unknown' && givenType !== type) {
      errors.push({
        reason: 'ParameterTypeMismatch',
        task: ctx.task,
        path: given.path,
        message: `param "${spec.name}"${where} is declared as ${type} but ${ctx.provider} gives ${givenType === 'string' ? 'a string' : `an ${givenType}`}`,
        hint:
          type === 'array'
            ? 'Give a YAML list of strings.'
            : type === 'object'
              ? 'Give a map of keys to strings.'
              : 'Give a single string (quote it if needed).',
      });
      continue;
    }
    if (
      spec.enum &&
      typeof given.value === 'string' &&
      !given.value.includes('$(') &&
      !spec.enum.includes(given.value)
    ) {
      errors.push({
        reason: 'InvalidParamValue',
        task: ctx.task,
        path: given.path,
        message: `param "${spec.name}"${where} is "${given.value}", which is not one of ${spec.enum.map((e) => `"${e}"`).join(', ')}`,
        hint: `Use one of the allowed values: ${spec.enum.join(', ')}.`,
      });
    }
    const objectValue = typeof given.value === 'object' && !Array.isArray(given.value) ? given.value : undefined;
    if (type === 'object' && spec.properties && objectValue) {
      const defaults =
        spec.default && typeof spec.default === 'object' && !Array.isArray(spec.default) ? spec.default : {};
      const missing = Object.keys(spec.properties).filter((k) => !(k in objectValue) && !(k in defaults));
      if (missing.length > 0) {
        errors.push({
          reason: 'ObjectParameterMissKeys',
          task: ctx.task,
          path: given.path,
          message: `object param "${spec.name}"${where} is missing key${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
          hint: `Add ${missing.join(', ')} to the object value.`,
        });
      }
    }
  }
  return errors;
}

/**
 * The values a run sees: provided values over defaults; object defaults fill keys the provided
 * object leaves out. Undeclared provided params are kept, as propagated params need them.
 */
export function applyParamDefaults(
  declared: readonly TParamSpec[] | undefined,
  provided: Readonly<Record<string, TParamValue>>,
): Record<string, TParamValue> {
  const out: Record<string, TParamValue> = { ...provided };
  for (const spec of declared ?? []) {
    const given = provided[spec.name];
    if (given === undefined) {
      if (spec.default !== undefined) out[spec.name] = spec.default;
    } else if (
      spec.default &&
      typeof spec.default === 'object' &&
      !Array.isArray(spec.default) &&
      typeof given === 'object' &&
      !Array.isArray(given)
    ) {
      out[spec.name] = { ...spec.default, ...given };
    }
  }
  return out;
}

/** `[{name, value}]` → map with paths, for checkParams. */
export function providedParams(
  list: readonly { name: string; value: TParamValue }[] | undefined,
  basePath: string,
): Map<string, ProvidedParam> {
  return new Map((list ?? []).map((p, i) => [p.name, { value: p.value, path: `${basePath}[${i}].value` }]));
}
