import { z } from 'zod';
import { DNS_LABEL, ZDuration, ZParam, oneOfRefOrSpec } from './param-schemas';
import { ZPipelineSpec, ZTaskRef } from './pipeline-schemas';
import { ZTaskSpec } from './task-schemas';
import { ZClaimName, ZItemPath, ZSubPath } from './workspace-paths';
import { ZVolumeProjection, type TVolumeProjection } from './volume-schemas';

/** `mode` and `defaultMode` (file permissions) are accepted; the local executor writes files readable by steps only. */
const keyToPath = z.strictObject({ key: z.string().min(1), path: ZItemPath, mode: z.number().int().optional() });
const items = z.array(keyToPath).optional();

/** One source of a projected volume, shared with Task volumes (volume-schemas.ts). */
export { ZVolumeProjection, type TVolumeProjection };
export const WORKSPACE_SOURCES = [
  'emptyDir',
  'volumeClaimTemplate',
  'persistentVolumeClaim',
  'configMap',
  'secret',
  'projected',
  'csi',
] as const;

export const ZWorkspaceBinding = z
  .strictObject({
    name: z
      .string()
      .regex(
        DNS_LABEL,
        'workspace names are lowercase letters, digits and "-": use the name the Task or Pipeline declares',
      ),
    subPath: ZSubPath.optional(),
    emptyDir: z
      .strictObject({ medium: z.string().optional(), sizeLimit: z.union([z.string(), z.number()]).optional() })
      .optional(),
    volumeClaimTemplate: z.looseObject({}).optional(),
    persistentVolumeClaim: z.strictObject({ claimName: ZClaimName, readOnly: z.boolean().optional() }).optional(),
    configMap: z
      .strictObject({
        name: z.string().min(1, 'missing field configMap.name: name the ConfigMap'),
        items,
        defaultMode: z.number().int().optional(),
        optional: z.boolean().optional(),
      })
      .optional(),
    secret: z
      .strictObject({
        secretName: z.string().min(1, 'missing field secret.secretName: name the Secret'),
        items,
        defaultMode: z.number().int().optional(),
        optional: z.boolean().optional(),
      })
      .optional(),
    /** The files of several ConfigMaps and Secrets in one folder; see prepare-workspaces. */
    projected: z
      .strictObject({
        sources: z
          .array(ZVolumeProjection)
          .min(1, 'missing field projected.sources: list the ConfigMaps and Secrets to project'),
        defaultMode: z.number().int().optional(),
      })
      .optional(),
    /** Accepted; a run that binds it fails on the local executor, which cannot mount CSI volumes. */
    csi: z
      .strictObject({
        driver: z.string().min(1, 'missing field csi.driver: name the CSI driver'),
        readOnly: z.boolean().optional(),
        fsType: z.string().optional(),
        volumeAttributes: z.record(z.string(), z.string()).optional(),
        nodePublishSecretRef: z.strictObject({ name: z.string() }).optional(),
      })
      .optional(),
  })
  .superRefine((b, ctx) => {
    const sources = WORKSPACE_SOURCES.filter((k) => b[k] !== undefined);
    if (sources.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          sources.length === 0
            ? `workspace "${b.name}" has no volume source`
            : `workspace "${b.name}" sets ${sources.join(' and ')}; only one source is allowed`,
      });
    }
  });
export type TWorkspaceBinding = z.infer<typeof ZWorkspaceBinding>;

export const ZPipelineRunSpecStatus = z.enum([
  'Cancelled',
  'CancelledRunFinally',
  'StoppedRunFinally',
  'PipelineRunPending',
]);
export type TPipelineRunSpecStatus = z.infer<typeof ZPipelineRunSpecStatus>;

/** Pod-level settings: accepted with their Kubernetes shape left loose; no effect on the local executor. */
const podTemplate = z.looseObject({}).optional();
const computeResources = z
  .looseObject({
    limits: z.record(z.string(), z.unknown()).optional(),
    requests: z.record(z.string(), z.unknown()).optional(),
  })
  .optional();
const containerSpecs = z
  .array(z.strictObject({ name: z.string().min(1), computeResources: z.looseObject({}) }))
  .optional();
/**
 * Upstream's validateTaskRunComputeResources: task-level computeResources and a stepSpecs entry's are mutually
 * exclusive (the task level replaces every step's resources).
 */
function oneLevelOfResources(
  spec: { computeResources?: unknown; stepSpecs?: { computeResources: Record<string, unknown> }[] },
  ctx: z.RefinementCtx,
): void {
  if (spec.computeResources === undefined) return;
  const i = (spec.stepSpecs ?? []).findIndex((s) => Object.values(s.computeResources).some((v) => v !== undefined));
  if (i >= 0)
    ctx.addIssue({
      code: 'custom',
      path: ['stepSpecs', i, 'computeResources'],
      message:
        'expected exactly one, got both: stepSpecs.resources, computeResources (set resources for the whole TaskRun or per step, not both)',
    });
}

/** Labels and annotations for a TaskRun (Tekton's PipelineTaskMetadata). */
export const ZTaskRunMetadata = z.strictObject({
  labels: z.record(z.string(), z.string({ error: 'label values are strings: quote numbers and booleans' })).optional(),
  annotations: z
    .record(z.string(), z.string({ error: 'annotation values are strings: quote numbers and booleans' }))
    .optional(),
});
export type TTaskRunMetadata = z.infer<typeof ZTaskRunMetadata>;

/** Per pipeline task settings of a PipelineRun (Tekton's PipelineTaskRunSpec); pod-level, no effect on the local executor. */
export const ZPipelineTaskRunSpec = z
  .strictObject({
    pipelineTaskName: z.string().min(1, 'name the pipeline task these settings are for'),
    serviceAccountName: z.string().optional(),
    podTemplate,
    stepSpecs: containerSpecs,
    sidecarSpecs: containerSpecs,
    metadata: ZTaskRunMetadata.optional(),
    computeResources,
    timeout: ZDuration.optional(),
  })
  .superRefine(oneLevelOfResources);

export const ZPipelineRunSpec = z
  .strictObject({
    pipelineRef: z
      .strictObject({
        name: z
          .string()
          .min(1, 'give the Pipeline name (apply the Pipeline first with `keelson apply -f pipeline.yaml`)'),
        apiVersion: z.literal('tekton.dev/v1').optional(),
        resolver: z
          .unknown()
          .refine((v) => v === undefined, {
            message:
              'a resolver ref is resolved only by `keelson apply` (POST /api/v1/apply), with the git or cluster resolver; elsewhere refer to an applied Pipeline by name',
          })
          .optional(),
        params: z
          .unknown()
          .refine((v) => v === undefined, {
            message: 'resolver params are not supported: apply the Pipeline and refer to it by name',
          })
          .optional(),
      })
      .optional(),
    pipelineSpec: ZPipelineSpec.optional(),
    params: z.array(ZParam).optional(),
    workspaces: z.array(ZWorkspaceBinding).optional(),
    timeouts: z
      .strictObject({ pipeline: ZDuration.optional(), tasks: ZDuration.optional(), finally: ZDuration.optional() })
      .optional(),
    status: ZPipelineRunSpecStatus.optional(),
    serviceAccountName: z.string().optional(),
    /** Pod settings for the TaskRuns (service account, pod template): accepted, no effect on the local executor. */
    taskRunTemplate: z.strictObject({ serviceAccountName: z.string().optional(), podTemplate }).optional(),
    taskRunSpecs: z.array(ZPipelineTaskRunSpec).optional(),
    /** Which controller runs it (e.g. a multi-cluster dispatcher); Keelson runs it either way. */
    managedBy: z.string().optional(),
  })
  .superRefine(oneOfRefOrSpec('a PipelineRun', 'pipelineRef', 'pipelineSpec'));
export type TPipelineRunSpec = z.infer<typeof ZPipelineRunSpec>;

export const ZTaskRunSpec = z
  .strictObject({
    taskRef: ZTaskRef.optional(),
    taskSpec: ZTaskSpec.optional(),
    params: z.array(ZParam).optional(),
    workspaces: z.array(ZWorkspaceBinding).optional(),
    timeout: ZDuration.optional(),
    status: z.literal('TaskRunCancelled').optional(),
    statusMessage: z.string().optional(),
    serviceAccountName: z.string().optional(),
    podTemplate,
    computeResources,
    stepSpecs: containerSpecs,
    sidecarSpecs: containerSpecs,
    /** Breakpoints need a debugger attached to a pod: accepted, no effect on the local executor. */
    debug: z
      .strictObject({
        breakpoints: z
          .strictObject({
            onFailure: z
              .literal('enabled', { error: 'breakpoints.onFailure is "enabled" or left out (as upstream)' })
              .optional(),
            beforeSteps: z.array(z.string()).optional(),
          })
          .optional(),
      })
      .optional(),
    retries: z
      .number()
      .int()
      .min(0)
      .refine((n) => n === 0, {
        message:
          'a standalone TaskRun does not retry on Keelson yet: run the Task from a Pipeline task with retries, or rerun the TaskRun',
      })
      .optional(),
    managedBy: z.string().optional(),
  })
  .superRefine(oneOfRefOrSpec('a TaskRun', 'taskRef', 'taskSpec'))
  .superRefine(oneLevelOfResources);
export type TTaskRunSpec = z.infer<typeof ZTaskRunSpec>;
