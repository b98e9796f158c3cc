/**
 * What Keelson keeps in each namespace it runs pods in (security review F4): a NetworkPolicy isolating the
 * namespace, and the admin's optional ResourceQuota and LimitRange (Settings → Pipelines). Pure: the executor
 * applies these objects.
 */
export const ISOLATION_POLICY_NAME = 'keelson-isolation';
export const QUOTA_NAME = 'keelson-quota';
export const LIMIT_RANGE_NAME = 'keelson-defaults';
/** Link-local: cloud metadata (169.254.169.254), the node's link-local services. Always denied. */
export const LINK_LOCAL_V4 = '169.254.0.0/16';

export interface ComputeAmounts {
  cpu?: string;
  memory?: string;
}
export interface PodQuota extends ComputeAmounts {
  pods?: number;
}
export interface PodDefaults {
  requests?: ComputeAmounts;
  limits?: ComputeAmounts;
}

export interface NamespaceIsolation {
  /** IPv4 ranges pods never reach besides link-local (KEELSON_STEP_DENY_CIDRS and the setting's podEgressDenyCidrs). */
  denyCidrs: readonly string[];
  quota?: PodQuota | null;
  defaults?: PodDefaults | null;
}

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
};

const meta = (name: string, namespace: string, labels: Record<string, string>) => ({ name, namespace, labels });

/**
 * Ingress only from pods of the same namespace; egress anywhere (IPv4) except link-local and `denyCidrs`, to pods of
 * the same namespace, and DNS (port 53) anywhere, so a denied service range never breaks name resolution.
 */
export function isolationPolicy(namespace: string, denyCidrs: readonly string[], labels: Record<string, string>) {
  const except = [...new Set([LINK_LOCAL_V4, ...denyCidrs])].filter((c) => c !== '0.0.0.0/0');
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(ISOLATION_POLICY_NAME, namespace, labels),
    spec: {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [
        { to: [{ podSelector: {} }] },
        { to: [{ ipBlock: { cidr: '0.0.0.0/0', except } }] },
        {
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    },
  } satisfies Obj & { spec: unknown };
}

const amounts = (prefix: string, a: ComputeAmounts | undefined): Record<string, string> =>
  Object.fromEntries((['cpu', 'memory'] as const).flatMap((k) => (a?.[k] ? [[`${prefix}${k}`, a[k]]] : []))) as Record<
    string,
    string
  >;

/** The ResourceQuota of a namespace: limits.cpu / limits.memory summed over its pods, and the number of pods. */
export function quotaObject(namespace: string, quota: PodQuota, labels: Record<string, string>) {
  const hard: Record<string, string> = { ...amounts('limits.', quota) };
  if (quota.pods !== undefined) hard.pods = String(quota.pods);
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: meta(QUOTA_NAME, namespace, labels),
    spec: { hard },
  } satisfies Obj & { spec: unknown };
}

/** The LimitRange giving containers without their own requests/limits the admin's defaults. */
export function limitRangeObject(namespace: string, defaults: PodDefaults, labels: Record<string, string>) {
  const limit: Record<string, unknown> = { type: 'Container' };
  if (defaults.limits && Object.keys(amounts('', defaults.limits)).length) limit.default = amounts('', defaults.limits);
  if (defaults.requests && Object.keys(amounts('', defaults.requests)).length)
    limit.defaultRequest = amounts('', defaults.requests);
  return {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: meta(LIMIT_RANGE_NAME, namespace, labels),
    spec: { limits: [limit] },
  } satisfies Obj & { spec: unknown };
}

const isEmpty = (o: object | null | undefined): boolean =>
  !o || Object.values(o).every((v) => v === undefined || (typeof v === 'object' && v && isEmpty(v)));

/** A quota / defaults that says nothing is none (no object kept). */
export const hasQuota = (q: PodQuota | null | undefined): q is PodQuota => !isEmpty(q);
export const hasDefaults = (d: PodDefaults | null | undefined): d is PodDefaults => !isEmpty(d);
