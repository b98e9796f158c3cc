/**
 * What a live update and a sync cost in refreshes and dry runs (issue 16's 1,000-app sync): a status-only update of
 * a tracked object refreshes no app (Argo CD 3's default ignoreResourceUpdates of /status), unless the setting is
 * off; and the refresh after a sync takes its predictions from the sync's own applies instead of dry-running again.
 */
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect } from 'vitest';
import { appOperations } from '@/lib/adapters/db/schema';
import { getObject } from '@/lib/adapters/k8s';
import { notifyController } from '@/lib/server/gitops/notify-controller';
import { createDryRunCache, type DryRunCache } from '@/lib/server/gitops/controller/compare-app-state';
import { kubectlBin } from '../../cluster/binaries';
import { clusterAvailable, clusterTest as test, kubeconfigPath } from './cluster';
import { configMap, service } from './gitops-fixtures';
import { startGitops, type Gitops } from './gitops-harness';
import { serveGitHttp } from '../support/git-repos';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const kubectl = (...args: string[]) =>
  execFileSync(kubectlBin(), ['--kubeconfig', kubeconfigPath, ...args], { stdio: 'pipe' }).toString();

/** A status-only change (a condition no health rule reads) through the status subresource, as a controller makes. */
function touchServiceStatus(namespace: string, name: string, n: number) {
  const condition = {
    type: 'example.com/Touched',
    status: 'True',
    reason: `Touch${n}`,
    message: `touched ${n}`,
    lastTransitionTime: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString().replace('.000', ''),
  };
  kubectl(
    'patch',
    'service',
    name,
    '-n',
    namespace,
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify({ status: { conditions: [condition] } }),
  );
}

/** A synced app of a ConfigMap and a Service, its first refreshes over: its reconciledAt then. */
async function syncedApp(h: Gitops, name: string, namespace: string): Promise<Date> {
  const r = await h.repo({ 'app/cm.yaml': configMap('settings', { color: 'blue' }), 'app/svc.yaml': service('web') });
  await h.createApp(name, { source: { repoURL: r.url, path: 'app' }, destination: { name: 'test', namespace } });
  await h.waitApp(name, (a) => a.syncStatus === 'OutOfSync', 'compared');
  const op = await h.waitOperation(await h.sync(name));
  expect(op.phase, op.message).toBe('Succeeded');
  await h.waitApp(name, (a) => a.syncStatus === 'Synced' && (a.reconciledAt ?? 0) > (op.finishedAt ?? 0), 'Synced');
  await h.controller.idle();
  await sleep(500); // the ADDED events' debounced refreshes
  await h.controller.idle();
  return (await h.app(name)).reconciledAt as Date;
}

describe.skipIf(!clusterAvailable)('gitops: live updates and syncs that need no more work', () => {
  let h: Gitops;
  beforeAll(async () => {
    h = await startGitops();
  });

  test('a status-only update of a tracked object refreshes no app; a label change does', async ({ namespace }) => {
    const before = await syncedApp(h, 'quiet', namespace);
    const rv = (await getObject(h.conn, { apiVersion: 'v1', kind: 'Service', namespace, name: 'web' }))?.metadata
      .resourceVersion;
    touchServiceStatus(namespace, 'web', 1);
    touchServiceStatus(namespace, 'web', 2);
    const touched = await getObject(h.conn, { apiVersion: 'v1', kind: 'Service', namespace, name: 'web' });
    expect(touched?.metadata.resourceVersion).not.toBe(rv);
    await sleep(1_500);
    await h.controller.idle();
    expect((await h.app('quiet')).reconciledAt).toEqual(before);

    kubectl('label', 'service', 'web', '-n', namespace, 'team=blue');
    const after = await h.waitApp('quiet', (a) => (a.reconciledAt as Date) > before, 'refreshed by the label change');
    expect(after.syncStatus).toBe('Synced'); // a label Git does not set is no drift
  });

  test("the refresh after a sync dry-runs nothing: the sync's applies are its predictions", async ({ namespace }) => {
    const real = createDryRunCache();
    const misses: string[] = [];
    const counting: DryRunCache = {
      get(key) {
        const hit = real.get(key);
        if (!hit) misses.push(key.split('|')[0]);
        return hit;
      },
      set: (key, obj) => real.set(key, obj),
    };
    h.controller.runtime.dryRuns = counting;
    const synced = await syncedApp(h, 'economy', namespace);
    // The compare before the sync had no live objects: nothing to predict. After it, every refresh found its
    // predictions in what the sync's applies returned.
    expect(misses).toEqual([]);
    await h.refresh('economy');
    const refreshed = await h.waitApp('economy', (a) => (a.reconciledAt as Date) > synced, 'refreshed again');
    expect(refreshed.syncStatus).toBe('Synced');
    expect(misses).toEqual([]);

    // A change made by someone else is predicted afresh (a dry run), and shows as drift.
    kubectl('patch', 'configmap', 'settings', '-n', namespace, '--type=merge', '-p', '{"data":{"color":"red"}}');
    await h.waitApp('economy', (a) => a.syncStatus === 'OutOfSync', 'OutOfSync after the change');
    expect(misses).toContain(`/ConfigMap/${namespace}/settings`);
  });

  test('the refresh after a sync uses a fetch made since the sync was asked for: no fetch of its own', async ({
    namespace,
  }) => {
    const r = await h.repo({ 'app/cm.yaml': configMap('settings', { color: 'blue' }) });
    const server = await serveGitHttp(r.projectRoot);
    try {
      await h.createApp('fetches', {
        source: { repoURL: server.url(r.name), path: 'app' },
        destination: { name: 'test', namespace },
      });
      const compared = await h.waitApp('fetches', (a) => a.syncStatus === 'OutOfSync', 'compared');
      expect(server.requests()).toBeGreaterThan(0); // the compare fetched
      const fetched = server.requests();
      // A sync asked for 30 s ago (it waited its turn behind others): the compare's fetch is newer than the request.
      const [op] = await h.t.handle.db
        .insert(appOperations)
        .values({
          appId: compared.id,
          startedAt: new Date(Date.now() - 30_000),
          operation: {
            sync: { revision: 'main', prune: false, dryRun: false, syncOptions: [] },
            initiatedBy: { username: 'tester' },
          },
        })
        .returning();
      await notifyController(h.t.deps(), 'fetches');
      const done = await h.waitOperation(op.id);
      expect(done.phase, done.message).toBe('Succeeded');
      await h.waitApp(
        'fetches',
        (a) => a.syncStatus === 'Synced' && (a.reconciledAt as Date) > (done.finishedAt as Date),
        'refreshed after the sync',
      );
      await h.controller.idle();
      expect(server.requests()).toBe(fetched);
    } finally {
      await server.close();
    }
  });
});

describe.skipIf(!clusterAvailable)('gitops: KEELSON_IGNORE_RESOURCE_UPDATES=false', () => {
  let h: Gitops;
  beforeAll(async () => {
    h = await startGitops({ ignoreResourceUpdates: false });
  });

  test('a status-only update refreshes the app', async ({ namespace }) => {
    const before = await syncedApp(h, 'chatty', namespace);
    touchServiceStatus(namespace, 'web', 3);
    await h.waitApp('chatty', (a) => (a.reconciledAt as Date) > before, 'refreshed by the status update', 10_000);
  });
});
