import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** The folder `kubectl apply -k` takes. */
export const KUBERNETES_DIR = 'deploy/kubernetes';

export interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: { name: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: { secretRef?: { name: string } }[];
  readinessProbe?: Record<string, unknown>;
  livenessProbe?: Record<string, unknown>;
  startupProbe?: Record<string, unknown>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean };
  volumeMounts?: { name: string; mountPath: string }[];
}

/** A label selector: matchLabels and matchExpressions, both of which a pod's labels must meet. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

/** One `from` entry of a NetworkPolicy ingress rule. */
export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: unknown;
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  stringData?: Record<string, string>;
  spec?: {
    replicas?: number;
    minAvailable?: number;
    selector?: { matchLabels: Record<string, string> };
    /** NetworkPolicy */
    podSelector?: LabelSelector;
    policyTypes?: string[];
    ingress?: { from?: NetworkPolicyPeer[]; ports?: { protocol?: string; port: number | string }[] }[];
    egress?: unknown[];
    volumeClaimTemplates?: unknown[];
    template?: {
      metadata: { labels: Record<string, string> };
      spec: {
        securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
        automountServiceAccountToken?: boolean;
        enableServiceLinks?: boolean;
        initContainers?: Container[];
        containers: Container[];
      };
    };
  };
}

/** The objects of `deploy/kubernetes` as its files hold them (before kustomize sets namespace, labels and images). */
export function kubernetesManifests(dir = KUBERNETES_DIR): Manifest[] {
  const kustomization = parse(readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
  return kustomization.resources.flatMap((file) =>
    parseAllDocuments(readFileSync(path.join(dir, file), 'utf8')).map((d) => d.toJS() as Manifest),
  );
}

/** `Kind/name` of one manifest. */
export const manifestId = (m: Manifest) => `${m.kind}/${m.metadata.name}`;

/** The object `Kind/name` among `docs`; throws naming it when it is missing. */
export function manifest(docs: Manifest[], id: string): Manifest {
  const found = docs.find((d) => manifestId(d) === id);
  if (!found) throw new Error(`${id} is not among ${docs.map(manifestId).join(', ')}`);
  return found;
}

/** Whether `labels` meet `selector`, as the apiserver decides it (an empty selector selects every pod). */
export function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return (
    byLabels &&
    (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      if (operator === 'Exists') return key in labels;
      if (operator === 'DoesNotExist') return !(key in labels);
      if (operator === 'In') return key in labels && values.includes(labels[key]);
      return !(key in labels) || !values.includes(labels[key]);
    })
  );
}

/** The workloads (Deployments, StatefulSets) among `docs`, with their pods' labels. */
const podLabels = (docs: Manifest[]) =>
  docs.flatMap((d) => (d.spec?.template ? [{ id: manifestId(d), labels: d.spec.template.metadata.labels }] : []));

/**
 * Who may connect to each workload's pods under the NetworkPolicies among `docs`, as `<source>:<port>` sorted:
 * `anywhere`, another workload of `docs` whose pods a rule's podSelector selects, or `elsewhere` for namespace and
 * IP peers. `isolated` says whether any policy selects the pods for ingress (else everything may connect).
 */
export function ingressByWorkload(docs: Manifest[]): Record<string, { isolated: boolean; from: string[] }> {
  const policies = docs.filter((d) => d.kind === 'NetworkPolicy' && d.spec?.policyTypes?.includes('Ingress'));
  const workloads = podLabels(docs);
  return Object.fromEntries(
    workloads.map(({ id, labels }) => {
      const mine = policies.filter((p) => selects(p.spec!.podSelector ?? {}, labels));
      const from = mine.flatMap((p) =>
        (p.spec!.ingress ?? []).flatMap((rule) => {
          const sources = rule.from
            ? rule.from.flatMap((peer) =>
                peer.namespaceSelector || peer.ipBlock || !peer.podSelector
                  ? ['elsewhere']
                  : workloads.filter((w) => selects(peer.podSelector!, w.labels)).map((w) => w.id),
              )
            : ['anywhere'];
          const ports = (rule.ports ?? [{ port: 'any' }]).map((p) => String(p.port));
          return sources.flatMap((s) => ports.map((port) => `${s}:${port}`));
        }),
      );
      return [id, { isolated: mine.length > 0, from: [...new Set(from)].sort() }];
    }),
  );
}
