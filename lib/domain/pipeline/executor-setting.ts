import { z } from 'zod';

/**
 * The installation's `pipelines.executor` setting (system_settings): the registered cluster TaskRuns run on (null:
 * the local executor), the namespace per project, and the Kubernetes executor's bounds. `KEELSON_PIPELINE_CLUSTER`
 * names the cluster instead when set (the env wins; the page shows it).
 */
export const PROJECT_PLACEHOLDER = '{project}';
export const DEFAULT_NAMESPACE_TEMPLATE = PROJECT_PLACEHOLDER;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const isDns1123Label = (s: string) => s.length <= 63 && DNS1123_LABEL.test(s);

/** A stand-in project name to check a template with (short, so a long project name is checked at run time). */
const SAMPLE_PROJECT = 'p';

export const ZPipelineExecutorSetting = z.strictObject({
  cluster: z.string().min(1).max(253).nullable().default(null),
  namespace: z
    .string()
    .max(63)
    .default(DEFAULT_NAMESPACE_TEMPLATE)
    .refine((t) => isDns1123Label(t.replaceAll(PROJECT_PLACEHOLDER, SAMPLE_PROJECT)), {
      message: `must be a DNS-1123 label (lower-case letters, digits and '-', at most 63, starting and ending alphanumeric) once ${PROJECT_PLACEHOLDER} is replaced by the project's name, e.g. "${PROJECT_PLACEHOLDER}" or "ci-${PROJECT_PLACEHOLDER}"`,
    }),
  maxConcurrentTaskRuns: z.number().int().min(1).max(10_000).default(20),
  keepFinishedPodsMinutes: z.number().int().min(0).max(10_080).default(0),
  startTimeoutSeconds: z.number().int().min(10).max(86_400).default(300),
});
export type TPipelineExecutorSetting = z.infer<typeof ZPipelineExecutorSetting>;

export const DEFAULT_PIPELINE_EXECUTOR_SETTING: TPipelineExecutorSetting = ZPipelineExecutorSetting.parse({});

/** The namespace a project's TaskRuns run in; undefined when the result is no DNS-1123 label (a long project name). */
export function namespaceFor(template: string, project: string): string | undefined {
  const ns = template.replaceAll(PROJECT_PLACEHOLDER, project);
  return isDns1123Label(ns) ? ns : undefined;
}

/** The setting in force: the stored one, with the env's cluster winning when it names one. */
export function effectiveExecutorSetting(
  stored: TPipelineExecutorSetting | undefined,
  envCluster: string | undefined,
): TPipelineExecutorSetting & { clusterFrom: 'env' | 'setting' | 'none' } {
  const base = stored ?? DEFAULT_PIPELINE_EXECUTOR_SETTING;
  if (envCluster) return { ...base, cluster: envCluster, clusterFrom: 'env' };
  return { ...base, clusterFrom: base.cluster ? 'setting' : 'none' };
}
