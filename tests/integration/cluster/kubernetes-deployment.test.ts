import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { binaryPath } from '../../cluster/binaries';
import {
  ingressByWorkload,
  KUBERNETES_DIR,
  manifest,
  manifestId,
  type Manifest,
} from '../support/kubernetes-manifests';
import { clusterAvailable, clusterTest as test, kubeconfigPath } from './cluster';

/** `kubectl apply -k deploy/kubernetes` as the real kustomize renders it. */
function rendered(): Manifest[] {
  const out = execFileSync(binaryPath('kustomize'), ['build', KUBERNETES_DIR], { encoding: 'utf8' });
  return parseAllDocuments(out).map((d) => d.toJS() as Manifest);
}

const kubectl = (args: string[], input?: string) =>
  spawnSync(binaryPath('kubectl'), ['--kubeconfig', kubeconfigPath, ...args], { input, encoding: 'utf8' });

describe.skipIf(!clusterAvailable)('deploy/kubernetes', () => {
  test('kustomize renders it into namespace keelson with the image set once, and the apiserver accepts every object (server-side dry run, restricted pod security)', async ({
    namespace,
  }) => {
    const docs = rendered();
    expect(docs).toHaveLength(12);
    for (const d of docs.filter((d) => d.kind !== 'Namespace'))
      expect(d.metadata.namespace, manifestId(d)).toBe('keelson');
    for (const d of docs) expect(d.metadata.labels?.['app.kubernetes.io/part-of'], manifestId(d)).toBe('keelson');
    const images = docs.flatMap((d) => {
      const pod = d.spec?.template?.spec;
      return pod ? [...(pod.initContainers ?? []), ...pod.containers].map((c) => c.image) : [];
    });
    expect([...new Set(images)].sort()).toEqual(['keelson:latest', 'postgres:16']);

    // The same objects in a namespace of the test cluster that warns about anything the restricted profile refuses.
    kubectl(['label', 'namespace', namespace, 'pod-security.kubernetes.io/warn=restricted']);
    const moved = docs.map((d) =>
      d.kind === 'Namespace'
        ? { ...d, metadata: { ...d.metadata, name: `${namespace}-ns` } }
        : { ...d, metadata: { ...d.metadata, namespace } },
    );
    const input = moved.map((d) => stringify(d)).join('---\n');
    const apply = kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], input);
    expect(apply.stderr).toBe('');
    expect(apply.status).toBe(0);
    const accepted = apply.stdout.trim().split('\n');
    expect(accepted).toHaveLength(12);
    for (const line of accepted) expect(line).toMatch(/serverside-applied \(server dry run\)$/);
    expect(accepted.map((l) => l.split(' ')[0]).sort()).toEqual([
      'deployment.apps/keelson-web',
      'deployment.apps/keelson-workers',
      `namespace/${namespace}-ns`,
      'networkpolicy.networking.k8s.io/keelson-default-deny-ingress',
      'networkpolicy.networking.k8s.io/keelson-postgres',
      'networkpolicy.networking.k8s.io/keelson-web',
      'poddisruptionbudget.policy/keelson-web',
      'poddisruptionbudget.policy/keelson-workers',
      'secret/keelson',
      'service/keelson',
      'service/keelson-postgres',
      'statefulset.apps/keelson-postgres',
    ]);

    // What the apiserver made of it (defaults filled in): replicas, probes and the PDBs' selectors.
    const serverView = kubectl(['apply', '--server-side', '--dry-run=server', '-o', 'json', '-f', '-'], input);
    const items = (JSON.parse(serverView.stdout) as { items: Manifest[] }).items;
    const web = manifest(items, 'Deployment/keelson-web');
    const workers = manifest(items, 'Deployment/keelson-workers');
    expect([web.spec?.replicas, workers.spec?.replicas]).toEqual([2, 2]);
    expect(web.spec?.template?.spec.containers[0]).toMatchObject({
      readinessProbe: { httpGet: { path: '/api/readyz', port: 'http' } },
      livenessProbe: { httpGet: { path: '/api/healthz', port: 'http' } },
    });
    expect(workers.spec?.template?.spec.containers[0].livenessProbe).toHaveProperty('exec.command');
    for (const d of [web, workers])
      expect(manifest(items, `PodDisruptionBudget/${d.metadata.name}`).spec).toMatchObject({
        minAvailable: 1,
        selector: d.spec?.selector,
      });
    // The NetworkPolicies as the apiserver keeps them select the pods as the rendered labels have them (kustomize's
    // part-of label stays out of selectors and templates), and no pod gets an API token or service links.
    const expectedIngress = {
      'Deployment/keelson-web': { isolated: true, from: ['anywhere:http'] },
      'Deployment/keelson-workers': { isolated: true, from: [] },
      'StatefulSet/keelson-postgres': {
        isolated: true,
        from: ['Deployment/keelson-web:postgres', 'Deployment/keelson-workers:postgres'],
      },
    };
    expect(ingressByWorkload(docs)).toEqual(expectedIngress);
    expect(ingressByWorkload(items)).toEqual(expectedIngress);
    for (const d of items.filter((d) => d.spec?.template))
      expect(d.spec!.template!.spec, manifestId(d)).toMatchObject({
        automountServiceAccountToken: false,
        enableServiceLinks: false,
      });
  });
});
