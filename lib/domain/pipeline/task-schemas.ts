import { z } from 'zod';
import {
  DNS_LABEL,
  ZDuration,
  ZParam,
  ZParamSpec,
  ZResultSpec,
  ZTaskResultSpec,
  ZWorkspaceDeclaration,
  uniqueNames,
} from './param-schemas';
import { nestedMountPaths, ZWorkingDir } from './workspace-paths';

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
  volumeMounts: unsupported(
    'volumeMounts are not supported by the local executor: declare a workspace and bind it in the run (emptyDir, persistentVolumeClaim, configMap or secret)',
  ),
  volumeDevices: unsupported('volumeDevices are not supported by the local executor'),
};

/**
 * `onError`: "continue", "stopAndFail", or a `$(params.…)` reference (Tekton checks the value after substitution;
 * resolve-task-run and validate-pipeline do the same).
 */
export const onErrorSchema = (who: 'Task step' | 'PipelineTask') =>
  z
    .string()
    .refine((v) => v === 'continue' || v === 'stopAndFail' || v.startsWith('$(params'), {
      message: `${who} onError must be either "continue" or "stopAndFail" (or a $(params.<name>) that gives one)`,
    });

export const ZStepTemplate = z.strictObject(containerFields);
export type TStepTemplate = z.infer<typeof ZStepTemplate>;

export const ZStep = z
  .strictObject({
    ...containerFields,
    name: z.string().regex(DNS_LABEL, 'step names are lowercase letters, digits and "-"').optional(),
    script: z.string().optional(),
    timeout: ZDuration.optional(),
    onError: onErrorSchema('Task step').optional(),
    ref: z.strictObject({ name: z.string().min(1) }).optional(),
    params: z.array(ZParam).optional(),
    /** Step results, written to $(step.results.<name>.path); a ref step gets its StepAction's. */
    results: z.array(ZResultSpec).optional(),
    stdoutConfig: unsupported(
      'stdoutConfig is not supported yet: in the script, write through tee, e.g. `cmd | tee $(results.out.path)`',
    ),
    stderrConfig: unsupported(
      'stderrConfig is not supported yet: in the script, redirect, e.g. `cmd 2> >(tee $(results.err.path) >&2)`',
    ),
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
  });
export type TStep = z.infer<typeof ZStep>;

export const ZTaskSpec = z
  .strictObject({
    description: z.string().optional(),
    displayName: z.string().optional(),
    params: z.array(ZParamSpec).optional(),
    steps: z.array(ZStep).min(1, 'a task needs at least one step'),
    stepTemplate: ZStepTemplate.optional(),
    results: z.array(ZTaskResultSpec).optional(),
    workspaces: z.array(ZWorkspaceDeclaration).optional(),
    sidecars: unsupported(
      'sidecars are not supported by the local executor: start the service in the step itself (in the background) or reach one that already runs',
    ),
    volumes: unsupported('volumes are not supported by the local executor: declare a workspace and bind it in the run'),
  })
  .superRefine((spec, ctx) => {
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
  });
export type TTaskSpec = z.infer<typeof ZTaskSpec>;

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
  })
  .superRefine((spec, ctx) => {
    if (spec.script !== undefined && spec.command !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['script'], message: 'a StepAction takes script or command, not both' });
    }
    uniqueNames(spec.params, ctx, ['params'], 'param');
    uniqueNames(spec.results, ctx, ['results'], 'result');
  });
export type TStepActionSpec = z.infer<typeof ZStepActionSpec>;
