/**
 * Tekton's PodTemplate (the TaskRun's, taskRunSpecs' or taskRunTemplate's, merged by the plan) applied to
 * the pod as upstream's Build does: the pod-level fields copied, its env appended to every step's (so it
 * wins over the step's own), its volumes added. A per-run node pin becomes a required node affinity.
 */
import type { EnvVar, PodSpec, Volume } from './pod-types';

/** The PodTemplate fields upstream copies into the PodSpec (pkg/apis/pipeline/pod/template.go, pod.go). */
const POD_FIELDS = [
  'nodeSelector',
  'tolerations',
  'affinity',
  'securityContext',
  'runtimeClassName',
  'automountServiceAccountToken',
  'schedulerName',
  'hostNetwork',
  'hostUsers',
  'dnsPolicy',
  'dnsConfig',
  'enableServiceLinks',
  'priorityClassName',
  'imagePullSecrets',
  'hostAliases',
  'topologySpreadConstraints',
] as const;

export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

export function podTemplateFields(template: Obj | undefined): Partial<PodSpec> {
  const out: Obj = {};
  for (const field of POD_FIELDS) if (template?.[field] !== undefined) out[field] = template[field];
  return out as Partial<PodSpec>;
}

export function podTemplateEnv(template: Obj | undefined): EnvVar[] {
  return Array.isArray(template?.env) ? (template.env as EnvVar[]) : [];
}

export function podTemplateVolumes(template: Obj | undefined): Volume[] {
  return Array.isArray(template?.volumes) ? (template.volumes as Volume[]) : [];
}

/**
 * Adds "on node `nodeName`" to the affinity: to each required node selector term (terms are ORed, so each
 * must carry it), or as the only term. The scheduler still checks taints and resources, unlike spec.nodeName.
 */
export function pinToNode(affinity: unknown, nodeName: string): Obj {
  const base = obj(affinity) ?? {};
  const nodeAffinity = obj(base.nodeAffinity) ?? {};
  const required = obj(nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution) ?? {};
  const expression = { key: HOSTNAME_LABEL, operator: 'In', values: [nodeName] };
  const terms = Array.isArray(required.nodeSelectorTerms) ? (required.nodeSelectorTerms as Obj[]) : [];
  const pinned = terms.length
    ? terms.map((t) => ({ ...t, matchExpressions: [...((t.matchExpressions as unknown[]) ?? []), expression] }))
    : [{ matchExpressions: [expression] }];
  return {
    ...base,
    nodeAffinity: {
      ...nodeAffinity,
      requiredDuringSchedulingIgnoredDuringExecution: { ...required, nodeSelectorTerms: pinned },
    },
  };
}
