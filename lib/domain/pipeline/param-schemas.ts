import { z } from 'zod';
import { ZTemplateMountPath } from './workspace-paths';
import { isGoDuration } from './duration';

/** YAML turns `value: 3` or `value: true` into numbers and booleans; Tekton reads them as strings. */
const scalar = z.preprocess((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v), z.string());

export const ZParamValue = z.union([scalar, z.array(scalar), z.record(z.string(), scalar)]);
export type TParamValue = z.infer<typeof ZParamValue>;

export const PARAM_NAME = /^[_a-zA-Z][_a-zA-Z0-9.-]*$/;
/** Task, step and workspace names are DNS-1123 labels, as Kubernetes object names derived from them must be. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const ZParamType = z.enum(['string', 'array', 'object']);
export type TParamType = z.infer<typeof ZParamType>;

export const ZDuration = z
  .string()
  .refine(isGoDuration, { message: 'not a Go duration such as "1h30m", "10s" or "0"' });

export const ZParamSpec = z
  .strictObject({
    name: z
      .string()
      .regex(PARAM_NAME, 'param names start with a letter or "_" and contain only letters, digits, "_", "-" and "."'),
    type: ZParamType.optional(),
    description: z.string().optional(),
    default: ZParamValue.optional(),
    enum: z.array(scalar).optional(),
    properties: z.record(z.string(), z.strictObject({ type: z.literal('string').optional() })).optional(),
  })
  .superRefine((spec, ctx) => {
    const type = paramSpecType(spec);
    if (spec.default !== undefined && valueType(spec.default) !== type) {
      ctx.addIssue({
        code: 'custom',
        path: ['default'],
        message: `default is ${article(valueType(spec.default))} but the param type is ${type}`,
      });
    }
    if (spec.enum && type !== 'string') {
      ctx.addIssue({ code: 'custom', path: ['enum'], message: 'enum is allowed only on string params' });
    }
    if (spec.enum && typeof spec.default === 'string' && !spec.enum.includes(spec.default)) {
      ctx.addIssue({
        code: 'custom',
        path: ['default'],
        message: `default "${spec.default}" is not one of the enum values ${JSON.stringify(spec.enum)}`,
      });
    }
  });
export type TParamSpec = z.infer<typeof ZParamSpec>;

export const ZParam = z.strictObject({ name: z.string().min(1), value: ZParamValue });
export type TParam = z.infer<typeof ZParam>;

export const ZResultSpec = z.strictObject({
  name: z.string().regex(PARAM_NAME, 'result names contain only letters, digits, "_", "-" and "."'),
  type: ZParamType.optional(),
  description: z.string().optional(),
  properties: z.record(z.string(), z.strictObject({ type: z.literal('string').optional() })).optional(),
});
export type TResultSpec = z.infer<typeof ZResultSpec>;

/** A Task's result may take its value from a step result: `value: $(steps.<step>.results.<name>)`. */
export const ZTaskResultSpec = ZResultSpec.extend({
  value: z.string({ error: 'a task result value is a string such as $(steps.<step>.results.<name>)' }).optional(),
});
export type TTaskResultSpec = z.infer<typeof ZTaskResultSpec>;

export const ZPipelineResult = z.strictObject({
  name: z.string().regex(PARAM_NAME, 'result names contain only letters, digits, "_", "-" and "."'),
  type: ZParamType.optional(),
  description: z.string().optional(),
  value: ZParamValue,
});
export type TPipelineResult = z.infer<typeof ZPipelineResult>;

export const ZWhenExpression = z.strictObject({
  input: scalar,
  operator: z.enum(['in', 'notin']),
  values: z.array(scalar).min(1, 'a when expression needs at least one value'),
  /** Upstream's `cel` is off unless its enable-cel-in-whenexpression flag is set; Keelson has no CEL evaluator yet. */
  cel: z
    .unknown()
    .refine((v) => v === undefined, {
      message:
        'CEL in when expressions is not supported (upstream needs the enable-cel-in-whenexpression feature flag too): write it as input, operator (in or notin) and values',
    })
    .optional(),
});
export type TWhenExpression = z.infer<typeof ZWhenExpression>;

export const ZWorkspaceDeclaration = z.strictObject({
  name: z.string().regex(DNS_LABEL, 'workspace names are lowercase letters, digits and "-"'),
  description: z.string().optional(),
  mountPath: ZTemplateMountPath.optional(),
  readOnly: z.boolean().optional(),
  optional: z.boolean().optional(),
});
export type TWorkspaceDeclaration = z.infer<typeof ZWorkspaceDeclaration>;

/** The declared type, or the one Tekton infers from the default and properties. */
export function paramSpecType(spec: { type?: TParamType; default?: TParamValue; properties?: unknown }): TParamType {
  if (spec.type) return spec.type;
  if (spec.default !== undefined) return valueType(spec.default);
  return spec.properties ? 'object' : 'string';
}

export function valueType(value: TParamValue): TParamType {
  if (typeof value === 'string') return 'string';
  return Array.isArray(value) ? 'array' : 'object';
}

function article(type: TParamType): string {
  return type === 'array' || type === 'object' ? `an ${type}` : 'a string';
}

type Named = readonly { name?: string }[] | undefined;

/**
 * The refinement of a pipeline task, a TaskRun or a PipelineRun: exactly one of a reference or an
 * inline spec (`what needs exactly one of ref or inline`), then unique param and workspace names.
 */
export function oneOfRefOrSpec<R extends string, S extends string>(what: string, ref: R, inline: S) {
  return (o: { [k in R | S]?: unknown } & { params?: Named; workspaces?: Named }, ctx: z.RefinementCtx): void => {
    if (Boolean(o[ref]) === Boolean(o[inline]))
      ctx.addIssue({ code: 'custom', path: [ref], message: `${what} needs exactly one of ${ref} or ${inline}` });
    uniqueNames(o.params, ctx, ['params'], 'param');
    uniqueNames(o.workspaces, ctx, ['workspaces'], 'workspace');
  };
}

/** Adds an issue for every name that appears twice in a list, at the later entry. */
export function uniqueNames(
  items: readonly { name?: string }[] | undefined,
  ctx: z.RefinementCtx,
  path: (string | number)[],
  what: string,
): void {
  const seen = new Set<string>();
  items?.forEach((item, i) => {
    if (item.name === undefined) return;
    if (seen.has(item.name))
      ctx.addIssue({ code: 'custom', path: [...path, i, 'name'], message: `duplicate ${what} name "${item.name}"` });
    seen.add(item.name);
  });
}
