import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createControllerMemberStore } from '@/lib/adapters/db/controller-member-store';
import { applications, appOperations, controllerMembers } from '@/lib/adapters/db/schema';
import { getObject, listObjects } from '@/lib/adapters/k8s';
import { shardRing } from '@/lib/domain/gitops/shard-ring';
import type { GitopsController } from '@/lib/server/gitops/controller';
import { notifyController } from '@/lib/server/gitops/notify-controller';
import { createTestRepo, type TestRepo } from '../support/git-repos';
import { testDatabase, type TestDatabase } from '../support/test-database';
import { clusterAvailable, clusterTest as test, waitFor } from './cluster';
import { configMap, deployment } from './gitops-fixtures';
import { connectTestCluster } from './k8s-helpers';
import {
  createApp,
  LEASE_SECONDS,
  refreshAll,
  refreshLog,
  registerClusters,
  spawnControllerProcess,
  startShardedController,
} from './gitops-sharding-support';

const APPS = Array.from({ length: 40 }, (_, i) => `app-${i}`);

describe.skipIf(!clusterAvailable)('gitops controller sharding', () => {
  let t: TestDatabase;
  let repo: TestRepo;
  const log = refreshLog();
  const running: GitopsController[] = [];
  /** The controller left running by the first test. */
  let survivor: GitopsController;
  const start = (label: string) => {
    const c = startShardedController(t, label, log);
    running.push(c);
    return c;
  };
  const bothSee = (cs: GitopsController[], n: number) =>
    waitFor(`${n} live members`, async () => cs.every((c) => c.shard.members().length === n));
  const claimsSince = (at: number) => log.claims.filter((c) => c.at >= at);

  beforeAll(async () => {
    t = await testDatabase();
    await registerClusters(t, ['test', 'second']);
    repo = await createTestRepo({
      files: Object.fromEntries(APPS.map((a) => [`apps/${a}/cm.yaml`, configMap(a, { v: '1' })])),
    });
  });
  afterAll(async () => {
    for (const c of running) await c.stop().catch(() => undefined);
    await repo?.cleanup();
  });

  test('two controllers split the apps, each compares about half, none an app of the other; stopping one hands all to the other; a silent one loses its share within the lease', async ({
    namespace,
  }) => {
    const a = start('A');
    const b = start('B');
    await bothSee([a, b], 2);
    const t0 = Date.now();
    for (const app of APPS)
      await createApp(t, app, {
        source: { repoURL: repo.url, path: `apps/${app}` },
        destination: { name: 'test', namespace },
      });
    await waitFor('every app compared', async () => {
      const rows = await t.handle.db.select({ at: applications.reconciledAt }).from(applications);
      return rows.length === APPS.length && rows.every((r) => r.at !== null);
    });
    const by = new Map<string, Set<string>>();
    for (const c of claimsSince(t0)) by.set(c.app, new Set([...(by.get(c.app) ?? []), c.by]));
    expect([...by.keys()].sort()).toEqual([...APPS].sort());
    expect([...by.entries()].filter(([, s]) => s.size > 1)).toEqual([]);
    const ring = shardRing([a.shard.id, b.shard.id]);
    for (const app of APPS) expect([...by.get(app)!][0]).toBe(ring.ownerOf(app) === a.shard.id ? 'A' : 'B');
    const share = APPS.filter((app) => by.get(app)!.has('A')).length;
    expect(share).toBeGreaterThanOrEqual(12);
    expect(share).toBeLessThanOrEqual(28);
    expect(log.overlaps).toEqual([]);

    // The refresh lease itself: a second controller cannot take an app the first is refreshing.
    const store = createControllerMemberStore(t.handle.db);
    expect(await store.claimRefresh('app-0', a.shard.id)).toBe(true);
    expect(await store.claimRefresh('app-0', b.shard.id)).toBe(false);
    await store.releaseRefresh('app-0', a.shard.id);
    expect(await store.claimRefresh('app-0', b.shard.id)).toBe(true);
    await store.releaseRefresh('app-0', b.shard.id);

    // Each watches only the clusters its apps need: an app on "second" opens it in its owner alone, and its
    // deletion closes it again.
    const other = Array.from({ length: 30 }, (_, i) => `on-second-${i}`).find((n) => ring.ownerOf(n) === b.shard.id)!;
    await createApp(t, other, {
      source: { repoURL: repo.url, path: 'apps/app-1' },
      destination: { name: 'second', namespace },
    });
    await waitFor(
      'the app on second compared',
      async () =>
        (await t.handle.db.select().from(applications).where(eq(applications.name, other)))[0]?.reconciledAt ??
        undefined,
    );
    expect(b.runtime.clusters.watched().sort()).toEqual(['second', 'test']);
    expect(a.runtime.clusters.watched()).toEqual(['test']);
    await t.handle.db.delete(applications).where(eq(applications.name, other));
    await waitFor('the watch of second closed', async () => !b.runtime.clusters.watched().includes('second'));

    // An app of A's on "second": only A watches it.
    const ofA = Array.from({ length: 30 }, (_, i) => `of-a-${i}`).find((n) => ring.ownerOf(n) === a.shard.id)!;
    await createApp(t, ofA, {
      source: { repoURL: repo.url, path: 'apps/app-2' },
      destination: { name: 'second', namespace },
    });
    await waitFor('A to watch second', async () => a.runtime.clusters.watched().includes('second'));
    expect(b.runtime.clusters.watched()).toEqual(['test']);

    // A graceful stop deletes the membership at once; B takes every app over, and opens the watch its new app needs
    // at once (before any refresh of it).
    await a.stop();
    expect((await t.handle.db.select().from(controllerMembers)).map((m) => m.id)).toEqual([b.shard.id]);
    await bothSee([b], 1);
    await waitFor('B to watch second', async () => b.runtime.clusters.watched().includes('second'));
    // Only A refreshed it (more than once is fine: its creation and its cluster's first list may each ask).
    expect(new Set(log.claims.filter((c) => c.app === ofA).map((c) => c.by))).toEqual(new Set(['A']));
    const t1 = Date.now();
    await refreshAll(t, APPS);
    expect(new Set(claimsSince(t1).map((c) => c.by))).toEqual(new Set(['B']));
    expect(new Set(claimsSince(t1).map((c) => c.app))).toEqual(new Set(APPS));

    // A member that stops renewing (as a dead one does) drops out within the lease time; B gets its share back.
    const c = start('C');
    await bothSee([b, c], 2);
    const t2 = Date.now();
    await refreshAll(t, APPS);
    expect(claimsSince(t2).some((x) => x.by === 'C')).toBe(true);
    const silent = Date.now();
    await c.shard.stop({ leave: false });
    await bothSee([b], 1);
    expect(Date.now() - silent).toBeLessThan(LEASE_SECONDS * 1000 + 2_000);
    const t3 = Date.now();
    await refreshAll(t, APPS);
    expect(new Set(claimsSince(t3).map((x) => x.by))).toEqual(new Set(['B']));
    expect(log.overlaps).toEqual([]);
    survivor = b;
  });

  test('a controller process killed with kill -9 mid-sync: the survivor resumes its sync operation and finishes it', async ({
    namespace,
  }) => {
    const b = survivor;
    const proc = spawnControllerProcess(t);
    const member = await proc.member;
    await waitFor('B to see the process', async () => b.shard.members().includes(member));
    const ring = shardRing(b.shard.members());
    const name = Array.from({ length: 20 }, (_, i) => `resume-${i}`).find((n) => ring.ownerOf(n) === member)!;
    const label = `keelson.dev/ready-${namespace}`;
    const slow = deployment('slow').replace(
      '      containers:',
      `      nodeSelector: { ${label}: "yes" }\n      containers:`,
    );
    const r = await createTestRepo({
      files: { 'a.yaml': slow, 'b.yaml': configMap('after', { a: 'b' }, { 'argocd.argoproj.io/sync-wave': '1' }) },
    });
    try {
      await createApp(t, name, { source: { repoURL: r.url, path: '' }, destination: { name: 'test', namespace } });
      await waitFor('the process to compare it', async () => proc.refreshed.includes(name));
      const [app] = await t.handle.db.select().from(applications).where(eq(applications.name, name));
      const [op] = await t.handle.db
        .insert(appOperations)
        .values({
          appId: app.id,
          operation: {
            sync: { revision: 'main', prune: false, dryRun: false, syncOptions: [] },
            initiatedBy: { username: 'tester' },
          },
        })
        .returning();
      await t.handle.db.update(applications).set({ refreshRequested: 'normal' }).where(eq(applications.id, app.id));
      const read = async () => (await t.handle.db.select().from(appOperations).where(eq(appOperations.id, op.id)))[0];
      await notifyController(t.deps(), name);
      await waitFor('the process to drive the sync, waiting for slow', async () => {
        const o = await read();
        return o.leaseOwner === member && o.message.includes('slow');
      });
      proc.child.kill('SIGKILL');
      const killed = Date.now();
      await waitFor('B to take the operation over', async () => (await read()).leaseOwner === b.shard.id);
      expect(Date.now() - killed).toBeLessThan(LEASE_SECONDS * 1000 * 2 + 2_000);

      const conn = await connectTestCluster();
      const nodes = await listObjects(conn, { apiVersion: 'v1', kind: 'Node' });
      const fake = nodes.items.find((n) => n.metadata.labels?.['keelson.test/fake-node'] === 'true') ?? nodes.items[0];
      const patch = (value: string | null) =>
        conn.requestOk({
          method: 'PATCH',
          path: `/api/v1/nodes/${fake.metadata.name as string}`,
          contentType: 'application/merge-patch+json',
          body: { metadata: { labels: { [label]: value } } },
        });
      await patch('yes');
      try {
        const done = await waitFor(
          'the operation to finish',
          async () => {
            const o = await read();
            return o.finishedAt ? o : undefined;
          },
          { timeoutMs: 60_000 },
        );
        expect(done.phase, done.message).toBe('Succeeded');
        expect(await getObject(conn, { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'after' })).toBeDefined();
      } finally {
        await patch(null);
        conn.close();
      }
    } finally {
      proc.child.kill('SIGKILL');
      await r.cleanup();
    }
  });
});
