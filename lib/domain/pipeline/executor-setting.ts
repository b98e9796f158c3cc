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

/** Kubernetes' own namespaces (kube-system, kube-public, kube-node-lease, ...): never a project's. */
export const isReservedNamespace = (ns: string) => ns.startsWith('kube-');

/** A Kubernetes quantity such as 500m, 2, 1.5, 512Mi, 4Gi. */
const ZQuantity = z.string().regex(/^([0-9]+(\.[0-9]+)?|\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/, {
  message: 'must be a Kubernetes quantity such as 500m or 2 (cpu), 512Mi or 4Gi (memory)',
});
const ZAmounts = z.strictObject({ cpu: ZQuantity.optional(), memory: ZQuantity.optional() });

export const ZPipelineExecutorSetting = z
  .strictObject({
    cluster: z.string().min(1).max(253).nullable().default(null),
    namespace: z
      .string()
      .max(63)
      .default(DEFAULT_NAMESPACE_TEMPLATE)
      .refine((t) => t.includes(PROJECT_PLACEHOLDER), {
        message: `must contain ${PROJECT_PLACEHOLDER} so each project gets a namespace of its own, e.g. "${PROJECT_PLACEHOLDER}" or "ci-${PROJECT_PLACEHOLDER}"`,
      })
      .refine((t) => !isReservedNamespace(t.replaceAll(PROJECT_PLACEHOLDER, SAMPLE_PROJECT)), {
        message: `must not give a kube-* namespace (those are Kubernetes' own), e.g. "${PROJECT_PLACEHOLDER}" or "ci-${PROJECT_PLACEHOLDER}"`,
      })
      .refine((t) => isDns1123Label(t.replaceAll(PROJECT_PLACEHOLDER, SAMPLE_PROJECT)), {
        message: `must be a DNS-1123 label (lower-case letters, digits and '-', at most 63, starting and ending alphanumeric) once ${PROJECT_PLACEHOLDER} is replaced by the project's name, e.g. "${PROJECT_PLACEHOLDER}" or "ci-${PROJECT_PLACEHOLDER}"`,
      }),
    maxConcurrentTaskRuns: z.number().int().min(1).max(10_000).default(20),
    keepFinishedPodsMinutes: z.number().int().min(0).max(10_080).default(0),
    startTimeoutSeconds: z.number().int().min(10).max(86_400).default(300),
    /**
     * IPv4 ranges pods may not reach (besides link-local 169.254.0.0/16, always denied), in the NetworkPolicy
     * `keelson-isolation` of each project namespace; KEELSON_STEP_DENY_CIDRS of the worker is added to them.
     */
    podEgressDenyCidrs: z
      .array(z.cidrv4({ message: 'must be an IPv4 range such as 10.0.0.0/8 or 172.18.0.5/32' }))
      .max(64)
      .default([]),
    /** The ResourceQuota `keelson-quota` of each project namespace (limits.cpu, limits.memory, pods); null: none. */
    podQuota: z
      .strictObject({
        cpu: ZQuantity.optional(),
        memory: ZQuantity.optional(),
        pods: z.number().int().min(1).max(100_000).optional(),
      })
      .nullable()
      .default(null),
    /** The LimitRange `keelson-defaults`: a container's request/limit when it sets none; null: none. */
    podDefaults: z
      .strictObject({ requests: ZAmounts.optional(), limits: ZAmounts.optional() })
      .nullable()
      .default(null),
    /** Whether `keelson.dev/executor` may choose another executor than the installation's (checked at create time). */
    allowExecutorOverride: z.boolean().default(true),
  })
  .superRefine((s, ctx) => {
    // A quota on limits admits only containers with limits: the LimitRange must give them one.
    for (const k of ['cpu', 'memory'] as const)
      if (s.podQuota?.[k] && !s.podDefaults?.limits?.[k])
        ctx.addIssue({
          code: 'custom',
          path: ['podDefaults', 'limits', k],
          message: `must be set when podQuota.${k} is (a quota on limits.${k} refuses containers without a ${k} limit, such as Tekton's init containers)`,
        });
  });
export type TPipelineExecutorSetting = z.infer<typeof ZPipelineExecutorSetting>;

export const DEFAULT_PIPELINE_EXECUTOR_SETTING: TPipelineExecutorSetting = ZPipelineExecutorSetting.parse({});

/** The namespace a project's TaskRuns run in; undefined when the result is no DNS-1123 label (a long project name) or kube-*. */
export function namespaceFor(template: string, project: string): string | undefined {
  const ns = template.replaceAll(PROJECT_PLACEHOLDER, project);
  return isDns1123Label(ns) && !isReservedNamespace(ns) ? ns : undefined;
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
