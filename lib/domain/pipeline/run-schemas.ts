import { z } from 'zod';
import { DNS_LABEL, ZDuration, ZParam, oneOfRefOrSpec } from './param-schemas';
import { ZPipelineSpec, ZTaskRef } from './pipeline-schemas';
import { ZTaskSpec } from './task-schemas';
import { ZClaimName, ZItemPath, ZSubPath } from './workspace-paths';

const keyToPath = z.strictObject({ key: z.string().min(1), path: ZItemPath });

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
      .strictObject({ name: z.string().min(1), items: z.array(keyToPath).optional(), optional: z.boolean().optional() })
      .optional(),
    secret: z
      .strictObject({
        secretName: z.string().min(1),
        items: z.array(keyToPath).optional(),
        optional: z.boolean().optional(),
      })
      .optional(),
  })
  .superRefine((b, ctx) => {
    const sources = (
      ['emptyDir', 'volumeClaimTemplate', 'persistentVolumeClaim', 'configMap', 'secret'] as const
    ).filter((k) => b[k] !== undefined);
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
    taskRunTemplate: z
      .strictObject({ serviceAccountName: z.string().optional(), podTemplate: z.looseObject({}).optional() })
      .optional(),
    taskRunSpecs: z.array(z.looseObject({ pipelineTaskName: z.string().min(1) })).optional(),
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
    serviceAccountName: z.string().optional(),
    podTemplate: z.looseObject({}).optional(),
    computeResources: z.looseObject({}).optional(),
  })
  .superRefine(oneOfRefOrSpec('a TaskRun', 'taskRef', 'taskSpec'));
export type TTaskRunSpec = z.infer<typeof ZTaskRunSpec>;
