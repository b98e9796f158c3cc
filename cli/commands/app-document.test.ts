import { expect, it } from 'vitest';
import { ZApplicationDocument } from '../../lib/schemas/applications';
import { documentFromFlags, documentsFromYaml, parseResourceFlag, type CreateFlags } from './app-document';

const base: CreateFlags = {
  repo: 'https://github.com/acme/deploy.git',
  path: 'charts/web',
  revision: 'main',
  destCluster: 'prod',
  destNamespace: 'web',
  syncOption: [],
  helmSet: [],
  helmSetString: [],
  valuesFile: [],
};

it('builds an Argo CD Application from create flags, valid against the API schema', () => {
  const doc = documentFromFlags('web', {
    ...base,
    syncPolicy: 'automated',
    selfHeal: true,
    autoPrune: true,
    syncOption: ['CreateNamespace=true', 'ServerSideApply=true'],
    helmSet: ['image.tag=v2', 'replicas=3'],
    helmSetString: ['port=8080'],
    valuesFile: ['values-prod.yaml'],
    releaseName: 'web',
  });
  expect(doc).toEqual({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'web' },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://github.com/acme/deploy.git',
        targetRevision: 'main',
        path: 'charts/web',
        helm: {
          parameters: [
            { name: 'image.tag', value: 'v2' },
            { name: 'replicas', value: '3' },
            { name: 'port', value: '8080', forceString: true },
          ],
          valueFiles: ['values-prod.yaml'],
          releaseName: 'web',
        },
      },
      destination: { name: 'prod', namespace: 'web' },
      syncPolicy: {
        automated: { prune: true, selfHeal: true, allowEmpty: false },
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
      },
    },
  });
  expect(ZApplicationDocument.safeParse(doc).success).toBe(true);
});

it('keeps a manual app minimal, with HEAD as the default revision and inline values from a file', () => {
  const doc = documentFromFlags(
    'plain',
    { ...base, revision: undefined, destCluster: undefined, destServer: 'https://kubernetes.default.svc' },
    'replicas: 2\n',
  );
  expect(doc.spec.source).toMatchObject({ targetRevision: 'HEAD', helm: { values: 'replicas: 2\n' } });
  expect(doc.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'web' });
  expect(doc.spec.syncPolicy).toEqual({ syncOptions: [] });
});

it('refuses flags that do not make sense, as usage errors', () => {
  expect(() => documentFromFlags('x', { ...base, helmSet: ['novalue'] })).toThrow(
    /--helm-set novalue: use --helm-set name=value/,
  );
  expect(() => documentFromFlags('x', { ...base, syncOption: ['CreateNamespace'] })).toThrow(/--sync-option/);
  expect(() => documentFromFlags('x', { ...base, selfHeal: true })).toThrow(/--sync-policy automated/);
  expect(() => documentFromFlags('x', { ...base, syncPolicy: 'sometimes' })).toThrow(/--sync-policy/);
  expect(() => documentFromFlags('x', { ...base, repo: undefined })).toThrow(/--repo/);
  expect(() => documentFromFlags('x', { ...base, destCluster: undefined })).toThrow(/--dest-cluster/);
});

it('reads multi-document YAML and skips empty documents', () => {
  const yaml =
    '---\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\n---\n---\nmetadata: {name: b}\n';
  expect(documentsFromYaml(yaml, 'apps.yaml').map((d) => (d as { metadata: { name: string } }).metadata.name)).toEqual([
    'a',
    'b',
  ]);
  expect(() => documentsFromYaml('a: [', 'bad.yaml')).toThrow(/bad.yaml: document 1/);
  expect(() => documentsFromYaml('', 'empty.yaml')).toThrow(/no document/);
});

it('parses --resource in the forms argocd accepts', () => {
  expect(parseResourceFlag('Deployment:web')).toEqual({ group: '', kind: 'Deployment', name: 'web' });
  expect(parseResourceFlag('apps:Deployment:web')).toEqual({ group: 'apps', kind: 'Deployment', name: 'web' });
  expect(parseResourceFlag(':Service:web')).toEqual({ group: '', kind: 'Service', name: 'web' });
  expect(parseResourceFlag('apps:Deployment:prod/web')).toEqual({
    group: 'apps',
    kind: 'Deployment',
    namespace: 'prod',
    name: 'web',
  });
  expect(() => parseResourceFlag('web')).toThrow(/KIND:NAME/);
  expect(() => parseResourceFlag('a:b:c:d')).toThrow(/KIND:NAME/);
});
