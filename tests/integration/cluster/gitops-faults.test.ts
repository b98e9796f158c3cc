import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect } from 'vitest';
import { appOperations, applications, clusters } from '@/lib/adapters/db/schema';
import { getObject, listObjects } from '@/lib/adapters/k8s';
import type { KubeConnection } from '@/lib/adapters/k8s/connection';
import { notifyController } from '@/lib/server/gitops/notify-controller';
import { secretBox } from '@/lib/server/security/secret-box';
import { copyFixtureFiles } from '../support/git-repos';
import { clusterAvailable, clusterTest as test, waitFor } from './cluster';
import { configMap, deployment } from './gitops-fixtures';
import { openOperation, startGitops, type Gitops } from './gitops-harness';

describe.skipIf(!clusterAvailable)('gitops engine: tools, rollback, faults, restarts', () => {
  let h: Gitops;
  let conn: KubeConnection;
  beforeAll(async () => {
    h = await startGitops();
    conn = h.conn;
  });
  const repo = (files: Record<string, string | null>) => h.repo(files);
  const data = async (namespace: string, name: string) =>
    (await getObject(conn, { apiVersion: 'v1', kind: 'ConfigMap', namespace, name }))?.data as
      Record<string, string> | undefined;

  test('Kustomize and Helm apps sync and become Synced + Healthy', async ({ namespace }) => {
    const r = await repo({
      ...(await copyFixtureFiles('tests/fixtures/repos/kustomize-app', 'k')),
      ...(await copyFixtureFiles('tests/fixtures/repos/helm-app', 'chart')),
    });
    await h.createApp('kust', {
      source: { repoURL: r.url, path: 'k/overlays/prod' },
      destination: { name: 'test', namespace },
    });
    await h.createApp('chart', {
      source: {
        repoURL: r.url,
        path: 'chart',
        helm: { valueFiles: ['values-prod.yaml'], parameters: [{ name: 'greeting', value: 'hi' }] },
      },
      destination: { name: 'test', namespace },
    });
    for (const name of ['kust', 'chart']) {
      const before = await h.waitApp(name, (a) => a.resources.length > 0 && a.syncStatus === 'OutOfSync');
      expect(before.sourceType).toBe(name === 'kust' ? 'Kustomize' : 'Helm');
      const op = await h.waitOperation(await h.sync(name));
      expect(op.phase, op.message).toBe('Succeeded');
      await h.waitApp(name, (a) => a.syncStatus === 'Synced' && a.healthStatus === 'Healthy', `${name} Synced+Healthy`);
    }
    const cms = await listObjects(conn, { apiVersion: 'v1', kind: 'ConfigMap', namespace });
    expect(JSON.stringify(cms.items.map((c) => c.data))).toContain('hi');
  });

  test('rollback applies the old SHA and pins; auto-sync holds while pinned; unpin resumes', async ({ namespace }) => {
    const r = await repo({ 'cm.yaml': configMap('release', { version: 'v1' }) });
    const sha1 = await r.sha();
    await h.createApp('pinme', {
      source: { repoURL: r.url, path: '' },
      destination: { name: 'test', namespace },
      syncPolicy: { automated: { prune: true } },
    });
    await h.waitApp('pinme', (a) => a.syncStatus === 'Synced' && a.revision === sha1, 'auto-synced to v1');
    const sha2 = await r.commit({ 'cm.yaml': configMap('release', { version: 'v2' }) }, 'v2');
    await h.refresh('pinme');
    await waitFor('auto-sync to v2', async () => (await data(namespace, 'release'))?.version === 'v2');
    const history = await waitFor('two history entries', async () => {
      const entries = await h.history('pinme');
      return entries.length === 2 ? entries : undefined;
    });
    expect(history.map((x) => x.revision)).toEqual([sha2, sha1]);

    // What POST /rollback does: pin to the entry's SHA and queue a sync of it.
    const target = history[1];
    const app = await h.app('pinme');
    await h.t.handle.db
      .update(applications)
      .set({
        pinned: {
          revision: target.revision,
          historyId: target.id,
          reason: 'bad release',
          by: 'tester',
          at: new Date().toISOString(),
        },
      })
      .where(eq(applications.id, app.id));
    const op = await h.waitOperation(await h.sync('pinme', { revision: target.revision }, { rollbackTo: target.id }));
    expect(op.phase).toBe('Succeeded');
    expect(await data(namespace, 'release')).toEqual({ version: 'v1' });
    const pinned = await h.waitApp(
      'pinme',
      (a) => a.revision === sha1 && a.syncStatus === 'Synced',
      'compared against the pinned SHA',
    );
    expect(pinned.pinned?.revision).toBe(sha1);

    await r.commit({ 'cm.yaml': configMap('release', { version: 'v3' }) }, 'v3');
    await h.refresh('pinme');
    await h.waitApp(
      'pinme',
      (a) => a.reconciledAt !== null && a.reconciledAt > pinned.reconciledAt!,
      'refreshed after v3',
    );
    await new Promise((res) => setTimeout(res, 1500));
    expect(await data(namespace, 'release')).toEqual({ version: 'v1' });
    expect((await h.history('pinme'))[0].revision).toBe(sha1);

    await h.t.handle.db
      .update(applications)
      .set({ pinned: null, refreshRequested: 'normal' })
      .where(eq(applications.id, app.id));
    await notifyController(h.t.deps(), 'pinme');
    await waitFor(
      'unpinned app to follow the branch again',
      async () => (await data(namespace, 'release'))?.version === 'v3',
    );
  });

  test('an unreachable cluster gives Unknown with a reason', async ({ namespace }) => {
    const box = secretBox('gitops-harness-secret-key-0123456789abcdef');
    await h.t.handle.db.insert(clusters).values({
      name: 'gone',
      server: 'https://127.0.0.1:1',
      sealedCredentials: box.seal(
        JSON.stringify({ type: 'token', server: 'https://127.0.0.1:1', token: 'secret-token-value', insecure: true }),
      ),
      createdBy: 'test',
    });
    const r = await repo({ 'cm.yaml': configMap('x', { a: 'b' }) });
    await h.createApp('unreachable', {
      source: { repoURL: r.url, path: '' },
      destination: { name: 'gone', namespace },
    });
    const app = await h.waitApp('unreachable', (a) => a.reconciledAt !== null);
    expect(app.syncStatus).toBe('Unknown');
    expect(app.healthStatus).toBe('Unknown');
    expect(app.conditions[0]).toMatchObject({
      type: 'ComparisonError',
      message: expect.stringMatching(/^Failed to load live state: cluster "gone" is unreachable: .*ECONNREFUSED/),
    });
    expect(JSON.stringify(app)).not.toContain('secret-token-value');
  });

  test('a broken kustomization, a missing path and a bad revision give ComparisonError conditions', async ({
    namespace,
  }) => {
    const r = await repo(await copyFixtureFiles('tests/fixtures/repos/kustomize-broken', 'broken'));
    await h.createApp('broken', {
      source: { repoURL: r.url, path: 'broken' },
      destination: { name: 'test', namespace },
    });
    await h.createApp('nopath', {
      source: { repoURL: r.url, path: 'does/not/exist' },
      destination: { name: 'test', namespace },
    });
    await h.createApp('norev', {
      source: { repoURL: r.url, path: 'broken', targetRevision: 'no-such-branch' },
      destination: { name: 'test', namespace },
    });
    for (const [name, pattern] of [
      ['broken', /kustomize/],
      ['nopath', /does\/not\/exist/],
      ['norev', /no-such-branch/],
    ] as const) {
      const app = await h.waitApp(
        name,
        (a) => a.conditions.some((c) => c.type === 'ComparisonError'),
        `${name} ComparisonError`,
      );
      expect(app.syncStatus).toBe('Unknown');
      expect(app.conditions.find((c) => c.type === 'ComparisonError')?.message).toMatch(pattern);
    }
  });

  test('manifests over 10 MB are refused with a clear condition', async ({ namespace }) => {
    const r = await repo(await copyFixtureFiles('tests/fixtures/repos/helm-huge', 'huge'));
    await h.createApp('huge', {
      source: { repoURL: r.url, path: 'huge', helm: { parameters: [{ name: 'count', value: '11' }] } },
      destination: { name: 'test', namespace },
    });
    const app = await h.waitApp(
      'huge',
      (a) => a.conditions.some((c) => c.type === 'ComparisonError'),
      'ComparisonError',
      60_000,
    );
    expect(app.conditions.find((c) => c.type === 'ComparisonError')?.message).toMatch(
      /rendered manifests exceed 10 MB/,
    );
    expect(app.resources).toEqual([]);
  });

  test('terminate stops a running operation', async ({ namespace }) => {
    const stuck = deployment('stuck').replace(
      '      containers:',
      '      nodeSelector: { keelson.dev/never: "true" }\n      containers:',
    );
    const r = await repo({
      'a.yaml': stuck,
      'b.yaml': configMap('after', { a: 'b' }, { 'argocd.argoproj.io/sync-wave': '1' }),
    });
    await h.createApp('term', { source: { repoURL: r.url, path: '' }, destination: { name: 'test', namespace } });
    await h.waitApp('term', (a) => a.resources.length === 2);
    const id = await h.sync('term');
    await waitFor('operation to wait for stuck', async () =>
      (await openOperation(h, 'term'))?.message.includes('waiting for healthy state of apps/Deployment/stuck'),
    );
    await h.t.handle.db.update(appOperations).set({ terminateRequested: true }).where(eq(appOperations.id, id));
    const op = await h.waitOperation(id);
    expect(op).toMatchObject({ phase: 'Failed', message: 'Operation terminated' });
    expect(await data(namespace, 'after')).toBeUndefined();
  });

  test('a controller stopped mid-sync hands the operation to the next one, which finishes it', async ({
    namespace,
  }) => {
    const label = `keelson.dev/ready-${namespace}`;
    const slow = deployment('slow').replace(
      '      containers:',
      `      nodeSelector: { ${label}: "yes" }\n      containers:`,
    );
    const r = await repo({
      'a.yaml': slow,
      'b.yaml': configMap('after', { a: 'b' }, { 'argocd.argoproj.io/sync-wave': '1' }),
    });
    await h.createApp('resume', { source: { repoURL: r.url, path: '' }, destination: { name: 'test', namespace } });
    await h.waitApp('resume', (a) => a.resources.length === 2);
    const id = await h.sync('resume');
    await waitFor('operation to wait for slow', async () =>
      (await openOperation(h, 'resume'))?.message.includes('slow'),
    );
    const uid = (await getObject(conn, { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'slow' }))
      ?.metadata.uid;
    await h.restartController();
    const nodes = await listObjects(conn, { apiVersion: 'v1', kind: 'Node' });
    // A kwok node: the real node (if any) is tainted, so the Deployment's pods would never land there.
    const fake = nodes.items.find((n) => n.metadata.labels?.['keelson.test/fake-node'] === 'true') ?? nodes.items[0];
    const node = fake.metadata.name as string;
    await conn.requestOk({
      method: 'PATCH',
      path: `/api/v1/nodes/${node}`,
      contentType: 'application/merge-patch+json',
      body: { metadata: { labels: { [label]: 'yes' } } },
    });
    try {
      const op = await h.waitOperation(id);
      expect(op.phase, op.message).toBe('Succeeded');
      expect(await data(namespace, 'after')).toEqual({ a: 'b' });
      expect(
        (await getObject(conn, { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'slow' }))?.metadata.uid,
      ).toBe(uid);
    } finally {
      await conn.requestOk({
        method: 'PATCH',
        path: `/api/v1/nodes/${node}`,
        contentType: 'application/merge-patch+json',
        body: { metadata: { labels: { [label]: null } } },
      });
    }
  });

  test('a failed sync is retried with backoff up to the limit', async ({ namespace }) => {
    const bad = configMap('bad', { a: 'b' }).replace('\ndata:', '\nnotAField: 1\ndata:');
    const r = await repo({ 'bad.yaml': bad });
    await h.createApp('retry', {
      source: { repoURL: r.url, path: '' },
      destination: { name: 'test', namespace },
      syncPolicy: { retry: { limit: 2, backoff: { duration: '1s', factor: 1, maxDuration: '1s' } } },
    });
    await h.waitApp('retry', (a) => a.reconciledAt !== null);
    const id = await h.sync('retry');
    await waitFor('a retry to be scheduled', async () =>
      (await openOperation(h, 'retry'))?.message.startsWith('Retrying attempt #1'),
    );
    const op = await h.waitOperation(id, 30_000);
    expect(op.phase, op.message).toBe('Failed');
    expect(op.retryCount).toBe(2);
    expect(op.message).toMatch(/notAField/);
  });
});
