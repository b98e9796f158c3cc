import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createClusterCache, getObject, type ClusterCache } from '@/lib/adapters/k8s';
import type { KubeConnection } from '@/lib/adapters/k8s/connection';
import { clusterAvailable, clusterTest as test, waitFor } from './cluster';
import { configMap, deployment, job } from './gitops-fixtures';
import { startGitops, type Gitops } from './gitops-harness';

const WAVE = 'argocd.argoproj.io/sync-wave';
const HOOK = 'argocd.argoproj.io/hook';
const POLICY = 'argocd.argoproj.io/hook-delete-policy';

describe.skipIf(!clusterAvailable)('gitops engine: phases, waves, hooks', () => {
  let h: Gitops;
  let conn: KubeConnection;
  const caches: ClusterCache[] = [];
  beforeAll(async () => {
    h = await startGitops();
    conn = h.conn;
  });
  afterAll(async () => {
    await Promise.all(caches.map((c) => c.stop()));
  });
  const repo = (files: Record<string, string | null>) => h.repo(files);
  /** Records the order objects appear in the namespace, as a watch sees them. */
  const recordCreations = async (namespace: string) => {
    const seen: string[] = [];
    const cache = createClusterCache(conn, {
      namespace,
      kinds: [
        { apiVersion: 'v1', kind: 'ConfigMap' },
        { apiVersion: 'apps/v1', kind: 'Deployment' },
        { apiVersion: 'batch/v1', kind: 'Job' },
      ],
      onChange: (e) => e.type === 'ADDED' && seen.push(`${e.obj.kind}/${e.obj.metadata.name}`),
    });
    caches.push(cache);
    await cache.ready();
    return seen;
  };

  test('waves apply in order; PreSync runs before and PostSync after the Deployment is Healthy; delete policies hold', async ({
    namespace,
  }) => {
    const r = await repo({
      'pre.yaml': job('migrate', { [HOOK]: 'PreSync', [POLICY]: 'HookSucceeded' }),
      'first.yaml': configMap('first', { w: '-1' }, { [WAVE]: '-1' }),
      'web.yaml': deployment('web', { replicas: 2 }),
      'last.yaml': configMap('last', { w: '5' }, { [WAVE]: '5' }),
      'post.yaml': job('smoke', { [HOOK]: 'PostSync' }),
    });
    const seen = await recordCreations(namespace);
    await h.createApp('waves', { source: { repoURL: r.url, path: '' }, destination: { name: 'test', namespace } });
    await h.waitApp('waves', (a) => a.resources.length === 3);
    const op = await h.waitOperation(await h.sync('waves'));
    expect(op.phase, op.message).toBe('Succeeded');
    expect(seen.filter((s) => !s.startsWith('ConfigMap/kube-root'))).toEqual([
      'Job/migrate',
      'ConfigMap/first',
      'Deployment/web',
      'ConfigMap/last',
      'Job/smoke',
    ]);
    expect(op.results.map((x) => [x.syncPhase, x.kind, x.name, x.status])).toEqual([
      ['PreSync', 'Job', 'migrate', 'Synced'],
      ['Sync', 'ConfigMap', 'first', 'Synced'],
      ['Sync', 'Deployment', 'web', 'Synced'],
      ['Sync', 'ConfigMap', 'last', 'Synced'],
      ['PostSync', 'Job', 'smoke', 'Synced'],
    ]);
    expect(op.results.find((x) => x.name === 'migrate')?.hookPhase).toBe('Succeeded');
    // The PostSync job started only once web was Healthy (its wave gate) and after every Sync wave.
    const web = await getObject(conn, { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'web' });
    const smoke = await getObject(conn, { apiVersion: 'batch/v1', kind: 'Job', namespace, name: 'smoke' });
    expect((web?.status as { availableReplicas?: number }).availableReplicas).toBe(2);
    expect(smoke).toBeDefined();
    // HookSucceeded: the PreSync job is deleted; the PostSync job (BeforeHookCreation) stays until the next sync.
    await waitFor(
      'migrate job to be deleted',
      async () =>
        (await getObject(conn, { apiVersion: 'batch/v1', kind: 'Job', namespace, name: 'migrate' })) === undefined,
    );
    const again = await h.waitOperation(await h.sync('waves'));
    expect(again.phase).toBe('Succeeded');
    const smoke2 = await getObject(conn, { apiVersion: 'batch/v1', kind: 'Job', namespace, name: 'smoke' });
    expect(smoke2?.metadata.uid).not.toBe(smoke?.metadata.uid);
    const app = await h.waitApp('waves', (a) => a.syncStatus === 'Synced' && a.healthStatus === 'Healthy');
    expect(app.resources.some((x) => x.kind === 'Job')).toBe(false);
  });

  test('a failing PreSync hook fails the operation, skips the Sync phase and runs SyncFail hooks', async ({
    namespace,
  }) => {
    const failing = job('doomed', { [HOOK]: 'PreSync' })
      .replace('  backoffLimit: 0', '  backoffLimit: 0\n  activeDeadlineSeconds: 1')
      .replace('      containers:', '      nodeSelector: { keelson.dev/no-such-node: "true" }\n      containers:');
    const r = await repo({
      'pre.yaml': failing,
      'web.yaml': deployment('never'),
      'fail.yaml': configMap('cleanup', { ran: 'yes' }, { [HOOK]: 'SyncFail' }),
    });
    await h.createApp('failing', { source: { repoURL: r.url, path: '' }, destination: { name: 'test', namespace } });
    await h.waitApp('failing', (a) => a.resources.length === 1);
    const op = await h.waitOperation(await h.sync('failing'));
    expect(op.phase).toBe('Failed');
    expect(op.message).toMatch(/one or more synchronization tasks completed unsuccessfully/);
    expect(op.results.find((x) => x.name === 'doomed')?.hookPhase).toBe('Failed');
    expect(op.results.find((x) => x.name === 'cleanup')).toMatchObject({ syncPhase: 'SyncFail', status: 'Synced' });
    expect(await getObject(conn, { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'cleanup' })).toBeDefined();
    expect(
      await getObject(conn, { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'never' }),
    ).toBeUndefined();
    expect(await h.history('failing')).toEqual([]);
  });

  test('a generateName hook gets a fresh name on every sync', async ({ namespace }) => {
    const r = await repo({
      'cm.yaml': configMap('app', { a: '1' }),
      'hook.yaml': job('seed-', { [HOOK]: 'PostSync', [POLICY]: 'HookFailed' }, { generateName: true }),
    });
    await h.createApp('genname', { source: { repoURL: r.url, path: '' }, destination: { name: 'test', namespace } });
    await h.waitApp('genname', (a) => a.resources.length === 1);
    const first = await h.waitOperation(await h.sync('genname'));
    const second = await h.waitOperation(await h.sync('genname'));
    const names = [first, second].map((o) => o.results.find((x) => x.kind === 'Job')?.name);
    expect(names[0]).toMatch(/^seed-/);
    expect(names[1]).toMatch(/^seed-/);
    expect(names[0]).not.toBe(names[1]);
  });
});
