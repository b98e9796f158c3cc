import { z } from 'zod';
import { ZPipelineExecutorSetting } from '../domain/pipeline/executor-setting';

/** PUT /api/v1/settings/pipelines: the whole `pipelines.executor` setting; fields left out take their defaults. */
export const ZPipelineSettingsInput = ZPipelineExecutorSetting;

/** GET /api/v1/settings/pipelines (and PUT's answer): what is stored, what is in force, and where it came from. */
export const ZPipelineSettingsView = z.object({
  /** As stored (the defaults until someone stores one). */
  setting: z.object({
    cluster: z.string().nullable(),
    namespace: z.string(),
    maxConcurrentTaskRuns: z.number(),
    keepFinishedPodsMinutes: z.number(),
    startTimeoutSeconds: z.number(),
    podEgressDenyCidrs: z.array(z.string()),
    podQuota: z
      .object({ cpu: z.string().optional(), memory: z.string().optional(), pods: z.number().optional() })
      .nullable(),
    podDefaults: z
      .object({
        requests: z.object({ cpu: z.string().optional(), memory: z.string().optional() }).optional(),
        limits: z.object({ cpu: z.string().optional(), memory: z.string().optional() }).optional(),
      })
      .nullable(),
    allowExecutorOverride: z.boolean(),
  }),
  /** In force: KEELSON_PIPELINE_CLUSTER wins over the stored cluster. */
  effective: z.object({
    executor: z.enum(['local', 'kubernetes']),
    cluster: z.string().nullable(),
    clusterFrom: z.enum(['env', 'setting', 'none']),
    /** False when the cluster in force is not registered (TaskRuns that need it fail with that reason). */
    clusterRegistered: z.boolean(),
  }),
  /** KEELSON_PIPELINE_CLUSTER of the web process, or null. */
  envCluster: z.string().nullable(),
  /** The registered clusters one may choose from. */
  clusters: z.array(z.string()),
  stored: z.boolean(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  /** PUT only: whether the request changed anything. */
  action: z.enum(['configured', 'unchanged']).optional(),
});
export type TPipelineSettingsView = z.infer<typeof ZPipelineSettingsView>;
