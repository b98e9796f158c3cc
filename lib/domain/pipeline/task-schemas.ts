import { z } from 'zod';
import {
  DNS_LABEL,
  ZDuration,
  ZParam,
  ZParamSpec,
  ZResultSpec,
  ZTaskResultSpec,
  ZWhenExpression,
  ZWorkspaceDeclaration,
  uniqueNames,
} from './param-schemas';
import { nestedMountPaths, ZMountPath, ZWorkingDir } from './workspace-paths';
import { goJsonObject } from './go-json-keys';
import { volumeIssues } from './volume-issues';
import { ZStepOutputConfig, ZVolume, ZVolumeMount } from './volume-schemas';

const keyRef = z.strictObject({ name: z.string().min(1), key: z.string().min(1), optional: z.boolean().optional() });

export const ZEnvVar = z
  .strictObject({
    name: z.string().min(1),
    value: z
      .preprocess((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v), z.string())
      .optional(),
    valueFrom: z
      .strictObject({ secretKeyRef: keyRef.optional(), configMapKeyRef: keyRef.optional() })
      .refine((v) => Boolean(v.secretKeyRef) !== Boolean(v.configMapKeyRef), {
        message: 'valueFrom needs exactly one of secretKeyRef or configMapKeyRef',
      })
      .optional(),
  })
  .refine((v) => !(v.value !== undefined && v.valueFrom), { message: 'env entries take value or valueFrom, not both' });
export type TEnvVar = z.infer<typeof ZEnvVar>;

const sourceRef = z.strictObject({ name: z.string().min(1), optional: z.boolean().optional() });
export const ZEnvFromSource = z
  .strictObject({ prefix: z.string().optional(), configMapRef: sourceRef.optional(), secretRef: sourceRef.optional() })
  .refine((v) => Boolean(v.configMapRef) !== Boolean(v.secretRef), {
    message: 'envFrom entries need exactly one of configMapRef or secretRef',
  });
export type TEnvFromSource = z.infer<typeof ZEnvFromSource>;

const stringList = z.array(
  z.preprocess((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v), z.string()),
);

/** Refuses a field with a sentence saying what to do instead (zod's own word would be "unrecognized"). */
const unsupported = (message: string) =>
  z
    .unknown()
    .refine((v) => v === undefined, { message })
    .optional();

/**
 * Fields a step and a stepTemplate share. Pod-level container settings are accepted and have no
 * effect on the local executor (as the image, they matter to a Kubernetes executor); volume mounts
 * are refused, because a script that reads a mounted path would silently find nothing.
 */
const containerFields = {
  image: z.string().optional(),
  command: stringList.optional(),
  args: stringList.optional(),
  env: z.array(ZEnvVar).optional(),
  envFrom: z.array(ZEnvFromSource).optional(),
  workingDir: ZWorkingDir.optional(),
  imagePullPolicy: z.string().optional(),
  computeResources: z.looseObject({}).optional(),
  securityContext: z.looseObject({}).optional(),
  /** Mounts of the Task's `volumes` (see volume-schemas.ts); the local executor binds them as it binds workspaces. */
  volumeMounts: z.array(ZVolumeMount).optional(),
  volumeDevices: unsupported(
    'volumeDevices (raw block devices) are not supported: mount the volume as a folder with volumeMounts instead',
  ),
};

/**
 * `onError`: "continue", "stopAndFail", or a `$(params.…)` reference (Tekton checks the value after substitution;
 * resolve-task-run and validate-pipeline do the same).
 */
export const onErrorSchema = (who: 'Task step' | 'PipelineTask') =>
  z.string().refine((v) => v === 'continue' || v === 'stopAndFail' || v.startsWith('$(params'), {
    message: `${who} onError must be either "continue" or "stopAndFail" (or a $(params.<name>) that gives one)`,
  });

export const ZStepTemplate = z.strictObject(containerFields);
export type TStepTemplate = z.infer<typeof ZStepTemplate>;

/**
 * A step's own use of a Task workspace (Tekton's WorkspaceUsage, "isolated workspaces"): only the
 * steps that list a workspace see it, each at its mountPath (the Task's mountPath when empty).
 */
export const ZWorkspaceUsage = goJsonObject({
  name: z
    .string()
    .regex(DNS_LABEL, 'workspace names are lowercase letters, digits and "-": use a name the Task declares'),
  mountPath: z.union([z.literal(''), ZMountPath]).optional(),
});
export type TWorkspaceUsage = z.infer<typeof ZWorkspaceUsage>;

/** A StepAction reference: by name; a resolver ref (`resolver`, `params`) is refused with a hint. */
const ZStepRef = z.strictObject({
  name: z.string().min(1, 'give the StepAction name (apply the StepAction first)'),
  resolver: unsupported(
    'a StepAction resolver ref is not supported: apply the StepAction (`keelson apply -f stepaction.yaml`) and refer to it by name',
  ),
  params: unsupported('resolver params are not supported: apply the StepAction and refer to it by name'),
});

export const ZStep = z
  .strictObject({
    ...containerFields,
    name: z.string().regex(DNS_LABEL, 'step names are lowercase letters, digits and "-"').optional(),
    /** Shown instead of the name (Tekton's Step.displayName); no effect on how the step runs. */
    displayName: z.string().optional(),
    description: unsupported(
      'a Tekton step has no description (upstream refuses it as an unknown field): use displayName, or a YAML comment',
    ),
    workspaces: z.array(ZWorkspaceUsage).optional(),
    /** Evaluated right before the step (earlier steps' results included); when one is false the step is skipped. */
    when: z.array(ZWhenExpression).optional(),
    script: z.string().optional(),
    timeout: ZDuration.optional(),
    onError: onErrorSchema('Task step').optional(),
    ref: ZStepRef.optional(),
    params: z.array(ZParam).optional(),
    /** Step results, written to $(step.results.<name>.path); a ref step gets its StepAction's. */
    results: z.array(ZResultSpec).optional(),
    /** The step's stdout (stderr) is also written to this path, typically `$(results.<r>.path)` or `$(step.results.<r>.path)`. */
    stdoutConfig: ZStepOutputConfig.optional(),
    stderrConfig: ZStepOutputConfig.optional(),
  })
  .superRefine((step, ctx) => {
    if (step.script !== undefined && step.command !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['script'], message: 'a step takes script or command, not both' });
    }
    if (step.ref) {
      for (const field of ['image', 'command', 'args', 'script', 'env', 'results'] as const) {
        if (step[field] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: `a step with ref cannot set ${field}; the StepAction provides it`,
          });
      }
    } else if (step.params) {
      ctx.addIssue({ code: 'custom', path: ['params'], message: 'step params are allowed only together with ref' });
    }
    uniqueNames(step.params, ctx, ['params'], 'param');
    uniqueNames(step.results, ctx, ['results'], 'result');
    uniqueNames(step.workspaces, ctx, ['workspaces'], 'workspace');
  });
export type TStep = z.infer<typeof ZStep>;

/** Tekton's Sidecar: a step-like container (no timeout or onError) that runs beside the steps. */
export const ZSidecar = z
  .strictObject({
    ...containerFields,
    /** Optional, as upstream's: an unnamed sidecar's container (and log) is `sidecar`. */
    name: z.string().regex(DNS_LABEL, 'sidecar names are lowercase letters, digits and "-"').optional(),
    script: z.string().optional(),
    workspaces: z.array(ZWorkspaceUsage).optional(),
    ports: z.array(z.looseObject({})).optional(),
    livenessProbe: z.looseObject({}).optional(),
    readinessProbe: z.looseObject({}).optional(),
    startupProbe: z.looseObject({}).optional(),
    lifecycle: z.looseObject({}).optional(),
    terminationMessagePath: z.string().optional(),
    terminationMessagePolicy: z.string().optional(),
    stdin: z.boolean().optional(),
    stdinOnce: z.boolean().optional(),
    tty: z.boolean().optional(),
    restartPolicy: z.string().optional(),
  })
  .refine((s) => s.script === undefined || s.command === undefined, {
    message: 'a sidecar takes script or command, not both',
    path: ['script'],
  });
export type TSidecar = z.infer<typeof ZSidecar>;

const taskSpecFields = {
  description: z.string().optional(),
  displayName: z.string().optional(),
  params: z.array(ZParamSpec).optional(),
  steps: z.array(ZStep).min(1, 'a task needs at least one step'),
  stepTemplate: ZStepTemplate.optional(),
  results: z.array(ZTaskResultSpec).optional(),
  workspaces: z.array(ZWorkspaceDeclaration).optional(),
  /** As upstream types them; the local executor runs script/command sidecars, others fail the TaskRun (SidecarsUnsupported). */
  sidecars: z.array(ZSidecar).optional(),
  volumes: z.array(ZVolume).optional(),
};

function taskSpecIssues(spec: z.infer<z.ZodObject<typeof taskSpecFields>>, ctx: z.RefinementCtx): void {
  uniqueNames(spec.params, ctx, ['params'], 'param');
  uniqueNames(spec.steps, ctx, ['steps'], 'step');
  uniqueNames(spec.results, ctx, ['results'], 'result');
  uniqueNames(spec.workspaces, ctx, ['workspaces'], 'workspace');
  const mountPaths = (spec.workspaces ?? []).map((w) => w.mountPath ?? `/workspace/${w.name}`);
  for (const [inner, outer] of nestedMountPaths(mountPaths)) {
    ctx.addIssue({
      code: 'custom',
      path: ['workspaces', inner, 'mountPath'],
      message: `mountPath "${mountPaths[inner]}" lies inside workspace "${spec.workspaces?.[outer].name}" at "${mountPaths[outer]}": give each workspace its own folder side by side, such as /workspace/<name>`,
    });
  }
  volumeIssues(spec, ctx);
  const declared = new Set((spec.workspaces ?? []).map((w) => w.name));
  spec.steps.forEach((step, i) =>
    step.workspaces?.forEach((usage, j) => {
      if (!declared.has(usage.name))
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'workspaces', j, 'name'],
          message: `undefined workspace "${usage.name}": declare it in the Task's workspaces first`,
        });
    }),
  );
}

export const ZTaskSpec = z.strictObject(taskSpecFields).superRefine(taskSpecIssues);
export type TTaskSpec = z.infer<typeof ZTaskSpec>;

const customTask = (field: string) =>
  unsupported(
    `taskSpec.${field} makes this a custom task, which Keelson does not run (upstream: "taskSpec.${field} cannot be specified when using taskSpec.steps"): leave it out for an embedded Task`,
  );

/**
 * A Task spec embedded in a pipeline task (Tekton's EmbeddedTask): a TaskSpec plus `metadata`
 * (labels and annotations the TaskRun gets). apiVersion, kind and spec belong to custom tasks.
 */
export const ZEmbeddedTaskSpec = z
  .strictObject({
    ...taskSpecFields,
    metadata: z
      .strictObject({
        labels: z
          .record(z.string(), z.string({ error: 'label values are strings: quote numbers and booleans' }))
          .optional(),
        annotations: z
          .record(z.string(), z.string({ error: 'annotation values are strings: quote numbers and booleans' }))
          .optional(),
      })
      .optional(),
    apiVersion: customTask('apiVersion'),
    kind: customTask('kind'),
    spec: customTask('spec'),
  })
  .superRefine(taskSpecIssues);
export type TEmbeddedTaskSpec = z.infer<typeof ZEmbeddedTaskSpec>;

/** The Task spec of an embedded task, without what only the embedding knows (metadata for its TaskRun). */
export function embeddedTaskSpec(embedded: TEmbeddedTaskSpec): TTaskSpec {
  const { metadata: _metadata, apiVersion: _apiVersion, kind: _kind, spec: _spec, ...spec } = embedded;
  return spec;
}

export const ZStepActionSpec = z
  .strictObject({
    description: z.string().optional(),
    image: z.string().optional(),
    command: stringList.optional(),
    args: stringList.optional(),
    script: z.string().optional(),
    env: z.array(ZEnvVar).optional(),
    workingDir: ZWorkingDir.optional(),
    params: z.array(ZParamSpec).optional(),
    results: z.array(ZResultSpec).optional(),
    securityContext: containerFields.securityContext,
    volumeMounts: containerFields.volumeMounts,
  })
  .superRefine((spec, ctx) => {
    if (spec.script !== undefined && spec.command !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['script'], message: 'a StepAction takes script or command, not both' });
    }
    uniqueNames(spec.params, ctx, ['params'], 'param');
    uniqueNames(spec.results, ctx, ['results'], 'result');
  });
export type TStepActionSpec = z.infer<typeof ZStepActionSpec>;
