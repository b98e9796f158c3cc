import { parseAllDocuments } from 'yaml';

export interface NewAppFields {
  name: string;
  repoURL: string;
  path: string;
  targetRevision: string;
  cluster: string;
  namespace: string;
  automated: boolean;
  prune: boolean;
  selfHeal: boolean;
  createNamespace: boolean;
}

export const EMPTY_FIELDS: NewAppFields = {
  name: '',
  repoURL: '',
  path: '',
  targetRevision: 'HEAD',
  cluster: '',
  namespace: 'default',
  automated: false,
  prune: false,
  selfHeal: false,
  createNamespace: true,
};

/** The Argo CD Application document the form describes. */
export function documentFromFields(f: NewAppFields) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: f.name.trim() },
    spec: {
      project: 'default',
      source: { repoURL: f.repoURL.trim(), path: f.path.trim(), targetRevision: f.targetRevision.trim() || 'HEAD' },
      destination: { name: f.cluster, namespace: f.namespace.trim() },
      syncPolicy: {
        ...(f.automated ? { automated: { prune: f.prune, selfHeal: f.selfHeal } } : {}),
        syncOptions: f.createNamespace ? ['CreateNamespace=true'] : [],
      },
    },
  };
}

/** The one document in pasted YAML, or a sentence saying what is wrong with it. */
export function documentFromYaml(text: string): { doc: unknown } | { error: string } {
  const docs = parseAllDocuments(text).filter((d) => d.contents !== null);
  if (docs.length !== 1)
    return { error: docs.length === 0 ? 'Paste an Application document.' : 'Paste one Application at a time.' };
  const [doc] = docs;
  if (doc.errors.length > 0) return { error: `YAML: ${doc.errors[0].message}` };
  const value: unknown = doc.toJS();
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { error: 'The YAML must be a mapping (an Application document).' };
  return { doc: value };
}

export const CLI_EXAMPLE =
  'keelson app create -f application.yaml\nkeelson app create guestbook --repo URL --path guestbook \\\n  --dest-cluster in-cluster --dest-namespace guestbook';

export const YAML_EXAMPLE = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: guestbook
spec:
  project: default
  source:
    repoURL: https://github.com/argoproj/argocd-example-apps.git
    targetRevision: HEAD
    path: guestbook
  destination:
    name: in-cluster
    namespace: guestbook
  syncPolicy:
    syncOptions: [CreateNamespace=true]
`;
