import { z } from 'zod';
import { ZDuration, ZParam, uniqueNames } from './param-schemas';
import { ZPipelineSpec } from './pipeline-schemas';
import { ZTaskSpec } from './task-schemas';

const keyToPath = z.object({ key: z.string().min(1), path: z.string().min(1) });

export const ZWorkspaceBinding = z
  .object({
    name: z.string().min(1),
    subPath: z.string().optional(),
    emptyDir: z.object({ medium: z.string().optional(), sizeLimit: z.union([z.string(), z.number()]).optional() }).optional(),
    volumeClaimTemplate: z.looseObject({}).optional(),
    persistentVolumeClaim: z.object({ claimName: z.string().min(1), readOnly: z.boolean().optional() }).optional(),
    configMap: z.object({ name: z.string().min(1), items: z.array(keyToPath).optional(), optional: z.boolean().optional() }).optional(),
    secret: z.object({ secretName: z.string().min(1), items: z.array(keyToPath).optional(), optional: z.boolean().optional() }).optional(),
  })
  .superRefine((b, ctx) => {
    const sources = (['emptyDir', 'volumeClaimTemplate', 'persistentVolumeClaim', 'configMap', 'secret'] as const).filter((k) => b[k] !== undefined);
    if (sources.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: sources.length === 0 ? `workspace "${b.name}" has no volume source` : `workspace "${b.name}" sets ${sources.join(' and ')}; only one source is allowed`,
      });
    }
  });
export type TWorkspaceBinding = z.infer<typeof ZWorkspaceBinding>;

export const ZPipelineRunSpecStatus = z.enum(['Cancelled', 'CancelledRunFinally', 'StoppedRunFinally', 'PipelineRunPending']);
export type TPipelineRunSpecStatus = z.infer<typeof ZPipelineRunSpecStatus>;

export const ZPipelineRunSpec = z
  .object({
    pipelineRef: z.object({ name: z.string().min(1) }).optional(),
    pipelineSpec: ZPipelineSpec.optional(),
    params: z.array(ZParam).optional(),
    workspaces: z.array(ZWorkspaceBinding).optional(),
    timeouts: z.object({ pipeline: ZDuration.optional(), tasks: ZDuration.optional(), finally: ZDuration.optional() }).optional(),
    status: ZPipelineRunSpecStatus.optional(),
    serviceAccountName: z.string().optional(),
  })
  .superRefine((spec, ctx) => {
    if (Boolean(spec.pipelineRef) === Boolean(spec.pipelineSpec)) {
      ctx.addIssue({ code: 'custom', path: ['pipelineRef'], message: 'a PipelineRun needs exactly one of pipelineRef or pipelineSpec' });
    }
    uniqueNames(spec.params, ctx, ['params'], 'param');
    uniqueNames(spec.workspaces, ctx, ['workspaces'], 'workspace');
  });
export type TPipelineRunSpec = z.infer<typeof ZPipelineRunSpec>;

export const ZTaskRunSpec = z
  .object({
    taskRef: z.object({ name: z.string().min(1), kind: z.literal('Task').optional() }).optional(),
    taskSpec: ZTaskSpec.optional(),
    params: z.array(ZParam).optional(),
    workspaces: z.array(ZWorkspaceBinding).optional(),
    timeout: ZDuration.optional(),
    status: z.literal('TaskRunCancelled').optional(),
    serviceAccountName: z.string().optional(),
  })
  .superRefine((spec, ctx) => {
    if (Boolean(spec.taskRef) === Boolean(spec.taskSpec)) {
      ctx.addIssue({ code: 'custom', path: ['taskRef'], message: 'a TaskRun needs exactly one of taskRef or taskSpec' });
    }
    uniqueNames(spec.params, ctx, ['params'], 'param');
    uniqueNames(spec.workspaces, ctx, ['workspaces'], 'workspace');
  });
export type TTaskRunSpec = z.infer<typeof ZTaskRunSpec>;
