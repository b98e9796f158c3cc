import { z } from 'zod';
import { ZPipelineSpec } from './pipeline-schemas';
import { ZPipelineRunSpec, ZTaskRunSpec } from './run-schemas';
import { ZStepActionSpec, ZTaskSpec } from './task-schemas';
import { refuseUndeclaredTaskParams } from './task-param-usage';
import { ZTrigger, type TTrigger } from '../triggers/trigger-schema';

export * from './param-schemas';
export * from './task-schemas';
export * from './pipeline-schemas';
export * from './run-schemas';

const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export const ZMetadata = z
  .looseObject({
    name: z.string().max(253).regex(OBJECT_NAME, 'names are lowercase letters, digits, "-" and "."').optional(),
    generateName: z
      .string()
      .max(200)
      .regex(/^[a-z0-9]([-a-z0-9.]*)?$/, 'generateName is lowercase letters, digits, "-" and "."')
      .optional(),
    namespace: z.string().optional(),
    uid: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  })
  .refine((m) => Boolean(m.name || m.generateName), { message: 'metadata.name or metadata.generateName is required' });
export type TMetadata = z.infer<typeof ZMetadata>;

function resource<K extends string, A extends readonly [string, ...string[]], S extends z.ZodType>(
  kind: K,
  apiVersions: A,
  spec: S,
) {
  return z.object({ apiVersion: z.enum(apiVersions), kind: z.literal(kind), metadata: ZMetadata, spec });
}

export const ZTask = resource('Task', ['tekton.dev/v1'], ZTaskSpec).superRefine(refuseUndeclaredTaskParams);
export const ZPipeline = resource('Pipeline', ['tekton.dev/v1'], ZPipelineSpec);
export const ZPipelineRun = resource('PipelineRun', ['tekton.dev/v1'], ZPipelineRunSpec);
export const ZTaskRun = resource('TaskRun', ['tekton.dev/v1'], ZTaskRunSpec);
/** StepAction is served as tekton.dev/v1beta1 and v1alpha1 upstream (same fields); v1 is kept for documents written for it. */
export const ZStepAction = resource(
  'StepAction',
  ['tekton.dev/v1beta1', 'tekton.dev/v1alpha1', 'tekton.dev/v1'],
  ZStepActionSpec,
);
export type TTask = z.infer<typeof ZTask>;
export type TPipeline = z.infer<typeof ZPipeline>;
export type TPipelineRun = z.infer<typeof ZPipelineRun>;
export type TTaskRun = z.infer<typeof ZTaskRun>;
export type TStepAction = z.infer<typeof ZStepAction>;

const stringMap = z.record(z.string(), z.string({ error: 'values must be strings; quote numbers and booleans' }));

/**
 * A core (apiVersion v1) Kubernetes object of this kind with these fields besides its metadata. Strict, as the
 * Tekton documents: a field Kubernetes does not know (a typo such as `strinData`) is refused, not dropped.
 */
const coreObject = <K extends string, F extends z.ZodRawShape>(kind: K, fields: F) => {
  const known = ['apiVersion', 'kind', 'metadata', ...Object.keys(fields)].join(', ');
  return z.strictObject(
    { apiVersion: z.literal('v1'), kind: z.literal(kind), metadata: ZMetadata, ...fields },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `a ${kind} has no field ${issue.keys.map((k) => `"${k}"`).join(', ')}; its fields are ${known}`
          : undefined,
    },
  );
};

/**
 * Base64 as Kubernetes decodes `[]byte` fields (Go's standard encoding): line breaks are ignored (wrapped output
 * of `base64`), padding is required.
 */
const base64Value = (message: string) =>
  z
    .string()
    .refine(
      (v) => /^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v.replace(/[\r\n]/g, '')),
      message,
    );

/** Why Kubernetes refuses a ConfigMap or Secret key (IsConfigMapKey: it is also a file name in volumes). */
function configKeyProblem(key: string): string | undefined {
  if (key.length > 253) return 'is longer than 253 characters';
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) return "may hold only letters, digits, '-', '_' and '.'";
  if (key === '.' || key.startsWith('..')) return "may not be '.' or start with '..'";
  return undefined;
}

/** Refuses the keys of these maps Kubernetes refuses, each at its own path. */
const refuseBadKeys =
  <T extends Record<string, unknown>>(...fields: (keyof T & string)[]) =>
  (doc: T, ctx: z.RefinementCtx) => {
    for (const field of fields)
      for (const key of Object.keys((doc[field] as Record<string, unknown> | undefined) ?? {})) {
        const problem = configKeyProblem(key);
        if (problem)
          ctx.addIssue({ code: 'custom', path: [field, key], message: `key "${key}" ${problem} (a config key)` });
      }
  };

export const ZConfigMap = coreObject('ConfigMap', {
  data: stringMap.optional(),
  /** Files of any bytes, base64 as in Kubernetes: shown in configMap workspaces and volumes, never in env. */
  binaryData: z
    .record(z.string(), base64Value('ConfigMap binaryData values are base64; put plain text under data'))
    .optional(),
  immutable: z.boolean().optional(),
})
  .superRefine(refuseBadKeys('data', 'binaryData'))
  .superRefine((cm, ctx) => {
    for (const key of Object.keys(cm.binaryData ?? {}))
      if (cm.data && Object.hasOwn(cm.data, key))
        ctx.addIssue({
          code: 'custom',
          path: ['binaryData', key],
          message: `key "${key}" is in both data and binaryData; a ConfigMap key may be in only one of them`,
        });
  });
export const ZSecret = coreObject('Secret', {
  type: z.string().optional(),
  data: z.record(z.string(), base64Value('Secret data values are base64; put plain text under stringData')).optional(),
  stringData: stringMap.optional(),
  immutable: z.boolean().optional(),
}).superRefine(refuseBadKeys('data', 'stringData'));
export const ZPersistentVolumeClaim = coreObject('PersistentVolumeClaim', {
  // Kubernetes' claim fields are accepted as written (a cluster reads them); the local executor needs none.
  spec: z
    .looseObject({ accessModes: z.array(z.string()).optional(), storageClassName: z.string().optional() })
    .optional(),
  /** What `kubectl get -o yaml` prints; accepted and ignored, as Kubernetes ignores it on create. */
  status: z.looseObject({}).optional(),
});
export type TConfigMap = z.infer<typeof ZConfigMap>;
export type TSecret = z.infer<typeof ZSecret>;
export type TPersistentVolumeClaim = z.infer<typeof ZPersistentVolumeClaim>;

export const RESOURCE_SCHEMAS = {
  Task: ZTask,
  Pipeline: ZPipeline,
  PipelineRun: ZPipelineRun,
  TaskRun: ZTaskRun,
  StepAction: ZStepAction,
  ConfigMap: ZConfigMap,
  Secret: ZSecret,
  PersistentVolumeClaim: ZPersistentVolumeClaim,
  Trigger: ZTrigger,
} as const;
export type TResourceKind = keyof typeof RESOURCE_SCHEMAS;
export const RESOURCE_KINDS = Object.keys(RESOURCE_SCHEMAS) as TResourceKind[];

export type TResource =
  TTask | TPipeline | TPipelineRun | TTaskRun | TStepAction | TConfigMap | TSecret | TPersistentVolumeClaim | TTrigger;

/** A Secret's values as plain text: `data` is base64-decoded, and `stringData` wins on conflicts as in Kubernetes. */
export function secretValues(secret: Pick<TSecret, 'data' | 'stringData'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, b64] of Object.entries(secret.data ?? {})) {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    out[key] = new TextDecoder().decode(bytes);
  }
  return { ...out, ...(secret.stringData ?? {}) };
}

/** A ConfigMap as stored: its text data, and its binaryData (base64, line breaks dropped) when it has any. */
export function configMapData(cm: Pick<TConfigMap, 'data' | 'binaryData'>): {
  data: Record<string, string>;
  binaryData?: Record<string, string>;
} {
  const binary = Object.entries(cm.binaryData ?? {}).map(([key, b64]) => [key, b64.replace(/[\r\n]/g, '')]);
  return { data: cm.data ?? {}, ...(binary.length > 0 ? { binaryData: Object.fromEntries(binary) } : {}) };
}
