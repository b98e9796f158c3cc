import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect } from 'vitest';
import { getObject } from '@/lib/adapters/k8s';
import type { KubeConnection } from '@/lib/adapters/k8s/connection';
import { cascadeParam, deleteApplication } from '@/lib/server/gitops/applications/delete-application';
import type { Principal } from '@/lib/server/principal';
import { handleGitPush } from '@/lib/server/webhooks/handle-git-push';
import { setWebhookSecret } from '@/lib/server/webhooks/set-webhook-secret';
import { secretBox } from '@/lib/server/security/secret-box';
import { clusterAvailable, clusterTest as test, waitFor } from './cluster';
import { configMap, deployment, service } from './gitops-fixtures';
import { startGitops, type Gitops } from './gitops-harness';
import { grantAdmin } from '../support/principals';

describe.skipIf(!clusterAvailable)('gitops engine: sync, drift, prune against the real control plane', () => {
  let h: Gitops;
  let conn: KubeConnection;
  beforeAll(async () => {
    h = await startGitops();
    conn = h.conn;
  });
  const repo = (files: Record<string, string | null>) => h.repo(files);
  const cm = (namespace: string, name: string) =>
    getObject(conn, { apiVersion: 'v1', kind: 'ConfigMap', namespace, name });

  test('a plain YAML app syncs and becomes Synced + Healthy, with no diff afterwards', async ({ namespace }) => {
    const r = await repo({
      'app/cm.yaml': configMap('settings', { color: 'blue' }),
      'app/web.yaml': deployment('web') + '---\n' + service('web'),
    });
    await h.createApp('plain', { source: { repoURL: r.url, path: 'app' }, destination: { name: 'test', namespace } });
    const before = await h.waitApp('plain', (a) => a.syncStatus === 'OutOfSync', 'OutOfSync before the first sync');
    expect(before.resources.map((x) => `${x.kind}/${x.name}`).sort()).toEqual([
      'ConfigMap/settings',
      'Deployment/web',
      'Service/web',
    ]);
    expect(before.healthStatus).toBe('Missing');

    const op = await h.waitOperation(await h.sync('plain'));
    expect(op.phase, op.message).toBe('Succeeded');
    expect(op.results.map((x) => x.status)).toEqual(['Synced', 'Synced', 'Synced']);
    const after = await h.waitApp(
      'plain',
      (a) => a.syncStatus === 'Synced' && a.healthStatus === 'Healthy',
      'Synced and Healthy',
    );
    expect(Object.values(after.diffs).every((d) => d.diff === '')).toBe(true);
    expect(after.revision).toBe(await r.sha());
    expect(after.tree.some((n) => n.kind === 'Pod' && n.parents.length === 1)).toBe(true);
    const history = await h.history('plain');
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ id: 0, revision: await r.sha(), initiatedBy: { username: 'tester' } });
    expect((await cm(namespace, 'settings'))?.metadata.annotations?.['keelson.dev/tracking-id']).toBe(
      `plain:/ConfigMap:${namespace}/settings`,
    );
  });

  test('a pushed change makes the app OutOfSync; sync brings it back; deleting a file needs prune', async ({
    namespace,
  }) => {
    const r = await repo({ 'app/cm.yaml': configMap('one', { v: '1' }), 'app/two.yaml': configMap('two', { v: '2' }) });
    await h.createApp('edits', { source: { repoURL: r.url, path: 'app' }, destination: { name: 'test', namespace } });
    await h.waitApp('edits', (a) => a.resources.length === 2);
    await h.waitOperation(await h.sync('edits'));
    await h.waitApp('edits', (a) => a.syncStatus === 'Synced');

    const sha2 = await r.commit({ 'app/cm.yaml': configMap('one', { v: 'changed' }) }, 'change one');
    await h.refresh('edits');
    const drifted = await h.waitApp(
      'edits',
      (a) => a.syncStatus === 'OutOfSync' && a.revision === sha2,
      'OutOfSync at the new commit',
    );
    expect(drifted.diffs[`/ConfigMap/${namespace}/one`].diff).toMatch(/-\s+v: "?1"?\n\+\s+v: changed/);
    await h.waitOperation(await h.sync('edits'));
    await h.waitApp('edits', (a) => a.syncStatus === 'Synced');
    expect((await cm(namespace, 'one'))?.data).toEqual({ v: 'changed' });

    await r.commit({ 'app/two.yaml': null }, 'remove two');
    await h.refresh('edits');
    const extra = await h.waitApp(
      'edits',
      (a) => a.resources.some((x) => x.name === 'two' && x.requiresPrune),
      'two requires pruning',
    );
    expect(extra.syncStatus).toBe('OutOfSync');
    const noPrune = await h.waitOperation(await h.sync('edits'));
    expect(noPrune.results.find((x) => x.name === 'two')).toMatchObject({
      status: 'PruneSkipped',
      message: 'ignored (requires pruning)',
    });
    expect(await cm(namespace, 'two')).toBeDefined();

    const pruned = await h.waitOperation(await h.sync('edits', { prune: true }));
    expect(pruned.results.find((x) => x.name === 'two')).toMatchObject({ status: 'Pruned' });
    await waitFor('two to be deleted', async () => (await cm(namespace, 'two')) === undefined);
    await h.waitApp('edits', (a) => a.syncStatus === 'Synced' && a.resources.length === 1, 'Synced with one resource');
  });

  test('a signed GitHub push webhook refreshes the app and auto-sync applies the commit', async ({ namespace }) => {
    const r = await repo({ 'cm.yaml': configMap('pushed', { n: '1' }) });
    await h.createApp('pushed', {
      source: { repoURL: r.url, path: '', targetRevision: 'main' },
      destination: { name: 'test', namespace },
      syncPolicy: { automated: {} },
    });
    await waitFor(
      'first auto-sync',
      async () => ((await cm(namespace, 'pushed'))?.data as Record<string, string> | undefined)?.n === '1',
    );
    const box = secretBox('gitops-harness-secret-key-0123456789abcdef');
    const admin = {
      userId: '00000000-0000-0000-0000-000000000000',
      username: 'admin',
      name: null,
      role: 'admin',
      groups: [],
      via: 'token' as const,
    };
    await setWebhookSecret(h.t.deps(), box, admin, 'github', 'webhook-secret');
    await h.waitApp('pushed', (a) => a.refreshRequested === null && a.syncStatus === 'Synced');
    const before = await h.app('pushed');
    await r.commit({ 'cm.yaml': configMap('pushed', { n: '2' }) }, 'bump');
    const body = JSON.stringify({
      ref: 'refs/heads/main',
      after: await r.sha(),
      repository: { clone_url: r.url, default_branch: 'main' },
    });
    const sign = (secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const bad = await handleGitPush(
      h.t.deps(),
      box,
      { 'x-github-event': 'push', 'x-hub-signature-256': sign('wrong') },
      body,
    ).catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 401 });
    expect((await h.app('pushed')).refreshRequested).toBeNull();
    const ok = await handleGitPush(
      h.t.deps(),
      box,
      { 'x-github-event': 'push', 'x-hub-signature-256': sign('webhook-secret') },
      body,
    );
    expect(ok.result.refreshed).toBe(1);
    await waitFor(
      'auto-sync of the pushed commit',
      async () => ((await cm(namespace, 'pushed'))?.data as Record<string, string> | undefined)?.n === '2',
      { timeoutMs: 15_000 },
    );
    const after = await h.waitApp('pushed', (a) => a.syncStatus === 'Synced' && a.revision !== before.revision);
    expect(after.revision).toBe(await r.sha());
  });

  test('a live edit is detected as drift and repaired by selfHeal', async ({ namespace }) => {
    const r = await repo({ 'cm.yaml': configMap('healme', { mode: 'git' }) });
    await h.createApp('heal', {
      source: { repoURL: r.url, path: '' },
      destination: { name: 'test', namespace },
      syncPolicy: { automated: { selfHeal: true, prune: true } },
    });
    await h.waitApp('heal', (a) => a.syncStatus === 'Synced' && a.lastSyncedAt !== null, 'auto-synced');
    await conn.requestOk({
      method: 'PATCH',
      path: `/api/v1/namespaces/${namespace}/configmaps/healme`,
      contentType: 'application/merge-patch+json',
      body: { data: { mode: 'kubectl-edit' } },
    });
    await waitFor(
      'selfHeal to restore the value',
      async () => ((await cm(namespace, 'healme'))?.data as Record<string, string> | undefined)?.mode === 'git',
      { timeoutMs: 20_000 },
    );
    // The cluster is repaired just before the history row is written: wait for it.
    const ops = await waitFor('the self-heal in the history', async () => {
      const entries = await h.history('heal');
      return entries.length >= 2 ? entries : undefined;
    });
    expect(ops[0].initiatedBy).toMatchObject({ automated: true });
  });

  test('deleting an app cascades by default, as Argo CD: its objects go, then the app; cascade=false leaves them', async ({
    namespace,
  }) => {
    const r = await repo({ 'a/cm.yaml': configMap('doomed', { v: '1' }), 'b/cm.yaml': configMap('kept', { v: '1' }) });
    await h.createApp('doomed', { source: { repoURL: r.url, path: 'a' }, destination: { name: 'test', namespace } });
    await h.createApp('kept', { source: { repoURL: r.url, path: 'b' }, destination: { name: 'test', namespace } });
    for (const name of ['doomed', 'kept']) {
      await h.waitApp(name, (a) => a.resources.length === 1);
      await h.waitOperation(await h.sync(name));
    }
    const ops: Principal = {
      userId: '00000000-0000-0000-0000-000000000000',
      username: 'ops',
      name: null,
      role: 'admin',
      groups: [],
      via: 'token',
    };
    await grantAdmin(h.t, 'ops');
    expect(await deleteApplication(h.t.deps(), ops, 'doomed', cascadeParam(null))).toMatchObject({ deleting: true });
    await waitFor('the app row to go', async () => (await h.app('doomed')) === undefined);
    await waitFor('its ConfigMap to be deleted', async () => (await cm(namespace, 'doomed')) === undefined);

    expect(await deleteApplication(h.t.deps(), ops, 'kept', cascadeParam('false'))).toEqual({ deleted: true });
    expect(await h.app('kept')).toBeUndefined();
    expect((await cm(namespace, 'kept'))?.data).toEqual({ v: '1' });
  });

  test('CreateNamespace with managedNamespaceMetadata labels the namespace; automated with enabled: false waits for a manual sync', async ({
    namespace,
  }) => {
    const ns = `${namespace}-managed`;
    const r = await repo({ 'cm.yaml': configMap('held', { v: '1' }) });
    await h.createApp('held', {
      source: { repoURL: r.url, path: '' },
      destination: { name: 'test', namespace: ns },
      syncPolicy: {
        automated: { prune: true, enabled: false },
        syncOptions: ['CreateNamespace=true'],
        managedNamespaceMetadata: { labels: { team: 'blue' }, annotations: { owner: 'ops' } },
      },
    });
    const app = await h.waitApp('held', (a) => a.syncStatus === 'OutOfSync', 'OutOfSync');
    // Refreshed twice with no operation: auto-sync is configured but disabled.
    await h.refresh('held');
    await h.waitApp('held', (a) => a.reconciledAt !== null && a.reconciledAt > app.reconciledAt!, 'a second refresh');
    expect(await h.lastOperation('held')).toBeUndefined();
    const op = await h.waitOperation(await h.sync('held'));
    expect(op.phase, op.message).toBe('Succeeded');
    const created = await getObject(conn, { apiVersion: 'v1', kind: 'Namespace', name: ns });
    expect(created?.metadata.labels).toMatchObject({ team: 'blue' });
    expect(created?.metadata.annotations).toMatchObject({ owner: 'ops' });
    expect((await cm(ns, 'held'))?.data).toEqual({ v: '1' });
    await h.conn.request({ method: 'DELETE', path: `/api/v1/namespaces/${ns}` });
  });
});
