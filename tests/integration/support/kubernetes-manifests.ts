import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** The folder `kubectl apply -k` takes. */
export const KUBERNETES_DIR = 'deploy/kubernetes';

export interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: { secretRef?: { name: string } }[];
  readinessProbe?: Record<string, unknown>;
  livenessProbe?: Record<string, unknown>;
  startupProbe?: Record<string, unknown>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean };
  volumeMounts?: { name: string; mountPath: string }[];
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
    volumeClaimTemplates?: unknown[];
    template?: {
      metadata: { labels: Record<string, string> };
      spec: {
        securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
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
