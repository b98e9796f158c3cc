import { z } from 'zod';
import { GO_DURATION_PATTERN } from '../domain/pipeline/duration';

export const ZPipelineSummary = z.object({
  name: z.string(),
  /** The project (the document's metadata.namespace). */
  project: z.string(),
  version: z.number().int(),
  updatedAt: z.string(),
  tasks: z.number().int(),
  lastRun: z
    .object({
      name: z.string(),
      status: z.string(),
      reason: z.string(),
      startedAt: z.string().nullable(),
      completedAt: z.string().nullable(),
      durationMs: z.number().nullable(),
    })
    .nullable(),
});
export type TPipelineSummary = z.infer<typeof ZPipelineSummary>;

const ZParamValueIn = z.union([z.string(), z.array(z.string()), z.record(z.string(), z.string())]);

const ZGoDuration = z.string().regex(GO_DURATION_PATTERN, 'not a Go duration such as "1h30m", "10s" or "0"');

/** Body of POST /api/v1/pipelines/{name}/start. Workspaces use Tekton's binding shape. */
export const ZStartPipeline = z.object({
  params: z.array(z.object({ name: z.string().min(1), value: ZParamValueIn })).optional(),
  workspaces: z.array(z.looseObject({ name: z.string().min(1) })).optional(),
  generateName: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*)?$/, 'lowercase letters, digits and -')
    .optional(),
  timeouts: z
    .object({ pipeline: ZGoDuration.optional(), tasks: ZGoDuration.optional(), finally: ZGoDuration.optional() })
    .optional(),
});
export type TStartPipeline = z.infer<typeof ZStartPipeline>;

export const ZCancelRun = z.object({
  mode: z.enum(['Cancelled', 'CancelledRunFinally', 'StoppedRunFinally']).default('Cancelled'),
});
export type TCancelMode = z.infer<typeof ZCancelRun>['mode'];

/** Body of POST /api/v1/pipelineruns/{name}/rerun (optional): fromFailed reuses what succeeded, reruns the rest. */
export const ZRerunRun = z.strictObject({ fromFailed: z.boolean().optional() });

/** Answer of POST /api/v1/pipelines/{name}/start and /api/v1/pipelineruns/{name}/rerun. */
export const ZCreatedRun = z.object({ id: z.string(), name: z.string() });
export type TCreatedRun = z.infer<typeof ZCreatedRun>;

/** GET /api/v1/pipelines/{name}: the stored document of the newest version. */
export const ZPipelineDetail = z.object({
  name: z.string(),
  project: z.string(),
  version: z.number(),
  versions: z.array(z.number()),
  document: z.record(z.string(), z.unknown()),
});
export type TPipelineDetail = z.infer<typeof ZPipelineDetail>;
