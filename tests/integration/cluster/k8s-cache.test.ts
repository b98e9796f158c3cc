import { afterAll, beforeAll, describe, expect } from 'vitest';
import { applyObject, deleteObject } from '@/lib/adapters/k8s/apply';
import { type CacheEvent, type ClusterCache, createClusterCache } from '@/lib/adapters/k8s/cluster-cache';
import { connect } from '@/lib/adapters/k8s/connect';
import type { KubeConnection } from '@/lib/adapters/k8s/connection';
import { listEvents } from '@/lib/adapters/k8s/events';
import type { KubeObject } from '@/lib/domain/gitops/k8s-object';
import { clusterAvailable, clusterTest as test, randomName, waitFor } from './cluster';
import { connectTestCluster, deployment, tcpProxy, testClusterCreds } from './k8s-helpers';

let conn: KubeConnection;
const caches: ClusterCache[] = [];
beforeAll(async () => {
  if (clusterAvailable) conn = await connectTestCluster();
});
afterAll(async () => {
  await Promise.all(caches.map((c) => c.stop()));
  conn?.close();
});

const cm = (name: string, namespace: string, v: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data: { v },
});
const fast = { initialMs: 100, maxMs: 500 };

function recorder(): { events: CacheEvent[]; seen: (type: string, name: string) => boolean } {
  const events: CacheEvent[] = [];
  return { events, seen: (type, name) => events.some((e) => e.type === type && e.obj.metadata.name === name) };
}

describe.skipIf(!clusterAvailable)('k8s adapter: cluster cache', () => {
  test('lists, then sees ADDED / MODIFIED / DELETED from the watch', async ({ namespace }) => {
    await applyObject(conn, cm('before', namespace, '1'));
    const rec = recorder();
    const t0 = performance.now();
    const cache = createClusterCache(conn, {
      kinds: [{ apiVersion: 'v1', kind: 'ConfigMap' }],
      namespace,
      onChange: (e) => rec.events.push(e),
    });
    caches.push(cache);
    const st = await cache.ready();
    console.info(`[k8s] cache initial list (1 kind, 1 namespace): ${(performance.now() - t0).toFixed(0)} ms`);
    expect(st.state).toBe('Synced');
    expect(st.lastSyncAt).toBeInstanceOf(Date);
    expect(cache.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'before' })?.data).toEqual({ v: '1' });
    expect(rec.events.find((e) => e.obj.metadata.name === 'before')).toMatchObject({ type: 'ADDED', fromList: true });
    expect(
      cache.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'before' })?.metadata.managedFields,
    ).toBeUndefined();

    const t1 = performance.now();
    await applyObject(conn, cm('live', namespace, '1'));
    await waitFor('ADDED', async () => rec.seen('ADDED', 'live'), { intervalMs: 10 });
    console.info(`[k8s] apply → cache ADDED event: ${(performance.now() - t1).toFixed(0)} ms`);
    await applyObject(conn, cm('live', namespace, '2'));
    await waitFor('MODIFIED', async () => rec.seen('MODIFIED', 'live'));
    expect(cache.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'live' })?.data).toEqual({ v: '2' });
    await deleteObject(conn, { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'live' });
    await waitFor('DELETED', async () => rec.seen('DELETED', 'live'));
    expect(cache.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'live' })).toBeUndefined();
    expect(rec.events.filter((e) => e.obj.metadata.name === 'live').every((e) => !e.fromList)).toBe(true);
  });

  test('indexBy: indexed() follows adds, a changed index value and deletes (as a filter of list() would)', async ({
    namespace,
  }) => {
    const owned = (name: string, owner: string): KubeObject => ({
      ...cm(name, namespace, '1'),
      metadata: { name, namespace, annotations: { owner } },
    });
    await applyObject(conn, owned('x1', 'app-x'));
    await applyObject(conn, cm('plain', namespace, '1'));
    const cache = createClusterCache(conn, {
      kinds: [{ apiVersion: 'v1', kind: 'ConfigMap' }],
      namespace,
      indexBy: (o) => o.metadata.annotations?.owner,
    });
    caches.push(cache);
    await cache.ready();
    const names = (value: string) => cache.indexed(value).map((o) => o.metadata.name);
    const filtered = (value: string) =>
      cache
        .list()
        .filter((o) => o.metadata.annotations?.owner === value)
        .map((o) => o.metadata.name);
    expect(names('app-x')).toEqual(['x1']);
    await applyObject(conn, owned('x2', 'app-x'));
    await waitFor('x2 indexed', async () => names('app-x').length === 2);
    expect(names('app-x')).toEqual(filtered('app-x'));
    // Another app takes x1 over: it leaves app-x's entry, joins app-y's.
    await applyObject(conn, owned('x1', 'app-y'));
    await waitFor('x1 moved', async () => names('app-y').length === 1);
    expect(names('app-x')).toEqual(['x2']);
    await deleteObject(conn, { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'x2' });
    await waitFor('x2 gone', async () => names('app-x').length === 0);
    expect(names('app-y')).toEqual(filtered('app-y'));
    expect(cache.indexed('')).toEqual([]);
  });

  test('re-watches from the last resourceVersion when the watch ends; re-lists when it breaks', async ({
    namespace,
  }) => {
    const { server, token, caPem } = testClusterCreds();
    const proxy = await tcpProxy(server);
    const viaProxy = await connect({ type: 'token', server: `https://127.0.0.1:${proxy.port}`, token, caData: caPem });
    const rec = recorder();
    const cache = createClusterCache(viaProxy, {
      kinds: [{ apiVersion: 'v1', kind: 'ConfigMap' }],
      namespace,
      onChange: (e) => rec.events.push(e),
      backoff: fast,
    });
    caches.push(cache);
    try {
      await cache.ready();
      const kind = (): { lists: number; watches: number } => cache.status().kinds[0];
      await waitFor('the first watch', async () => kind().watches === 1);
      expect(kind().lists).toBe(1);

      // A watch that ends (server timeout, or here: stopped) continues from its resourceVersion, no re-list.
      cache.restartWatches();
      await waitFor('a second watch', async () => kind().watches >= 2);
      expect(kind().lists).toBe(1);
      await applyObject(conn, cm('after-rewatch', namespace, '1'));
      await waitFor('event after re-watch', async () => rec.seen('ADDED', 'after-rewatch'));

      // A broken connection is a failure: back off, re-list, watch again.
      proxy.dropConnections();
      await deleteObject(conn, { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'after-rewatch' });
      await applyObject(conn, cm('while-broken', namespace, '1'));
      await waitFor(
        'a re-list after the broken watch',
        async () => kind().lists >= 2 && cache.status().state === 'Synced',
      );
      await waitFor(
        'state converged',
        async () => rec.seen('ADDED', 'while-broken') && rec.seen('DELETED', 'after-rewatch'),
      );
      expect(
        cache
          .list()
          .map((o) => o.metadata.name)
          .sort(),
      ).toEqual(['kube-root-ca.crt', 'while-broken']);
      // Nothing was announced twice by the re-list.
      expect(rec.events.filter((e) => e.obj.metadata.name === 'kube-root-ca.crt')).toHaveLength(1);
    } finally {
      await cache.stop();
      viaProxy.close();
      await proxy.close();
    }
  });

  test('ownedChildren: a 2-replica Deployment → its ReplicaSet → 2 Running Pods; events of a Pod', async ({
    namespace,
  }) => {
    const cache = createClusterCache(conn, {
      kinds: [
        { apiVersion: 'apps/v1', kind: 'Deployment' },
        { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
        { apiVersion: 'v1', kind: 'Pod' },
      ],
      namespace,
    });
    caches.push(cache);
    await cache.ready();
    await applyObject(conn, deployment('web', namespace, { replicas: 2 }));
    const tree = await waitFor('Deployment → ReplicaSet → 2 Running Pods', async () => {
      const dep = cache.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'web' });
      if (!dep) return undefined;
      const t = cache.resourceTree(dep);
      const pods = t.children.flatMap((rs) => rs.children);
      const running = pods.filter((p) => (p.obj.status as { phase?: string } | undefined)?.phase === 'Running');
      return t.children.length === 1 && running.length === 2 ? t : undefined;
    });
    const [rs] = tree.children;
    expect(rs.obj.kind).toBe('ReplicaSet');
    expect(cache.ownedChildren(tree.obj).map((o) => o.metadata.name)).toEqual([rs.obj.metadata.name]);
    const pods = cache.ownedChildren(rs.obj);
    expect(pods.map((p) => p.kind)).toEqual(['Pod', 'Pod']);
    expect(cache.ownedChildren(rs.obj.metadata.uid ?? '')).toHaveLength(2);

    const events = await waitFor('Scheduled event of a pod', async () => {
      const evs = await listEvents(conn, pods[0]);
      return evs.some((e) => e.reason === 'Scheduled') ? evs : undefined;
    });
    expect(events[0]).toMatchObject({ type: 'Normal', involvedObject: { kind: 'Pod', name: pods[0].metadata.name } });
    const rsEvents = await listEvents(conn, { kind: 'ReplicaSet', name: rs.obj.metadata.name ?? '', namespace });
    expect(rsEvents.some((e) => e.reason === 'SuccessfulCreate')).toBe(true);
  });

  test('an unreachable cluster: state Unreachable with a reason, last objects still served, recovers', async ({
    namespace,
  }) => {
    await applyObject(conn, cm('kept', namespace, '1'));
    const { server, token, caPem } = testClusterCreds();
    const proxy = await tcpProxy(server);
    const viaProxy = await connect({ type: 'token', server: `https://127.0.0.1:${proxy.port}`, token, caData: caPem });
    const cache = createClusterCache(viaProxy, {
      kinds: [{ apiVersion: 'v1', kind: 'ConfigMap' }],
      namespace,
      backoff: fast,
    });
    caches.push(cache);
    try {
      expect((await cache.ready()).state).toBe('Synced');
      const syncedAt = cache.status().lastSyncAt;
      await proxy.close();
      const st = await waitFor('Unreachable', async () =>
        cache.status().state === 'Unreachable' ? cache.status() : undefined,
      );
      expect(st.message).toMatch(
        /ConfigMap: cannot reach https:\/\/127\.0\.0\.1:\d+: .*(ECONNREFUSED|ECONNRESET|socket hang up|closed)/,
      );
      expect(st.message).not.toContain(token);
      expect(st.lastSyncAt?.getTime()).toBeLessThanOrEqual(Date.now());
      expect(st.lastSyncAt?.getTime()).toBeGreaterThanOrEqual(syncedAt?.getTime() ?? 0);
      expect(cache.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'kept' })?.data).toEqual({ v: '1' });

      // Changes made meanwhile show up after the cluster comes back.
      await applyObject(conn, cm('kept', namespace, '2'));
      await proxy.reopen();
      await waitFor('Synced again', async () => cache.status().state === 'Synced', { timeoutMs: 10_000 });
      const kept = (): unknown => cache.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'kept' })?.data;
      await waitFor('the change made while unreachable', async () => JSON.stringify(kept()) === '{"v":"2"}');
    } finally {
      await cache.stop();
      viaProxy.close();
      await proxy.close();
    }
  });

  test('timing: initial list of 500 ConfigMaps + 3 kinds', async ({ namespace }) => {
    for (let i = 0; i < 500; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) => applyObject(conn, cm(`bulk-${i + j}`, namespace, 'x'.repeat(200)))),
      );
    }
    const t0 = performance.now();
    const cache = createClusterCache(conn, {
      kinds: [
        { apiVersion: 'v1', kind: 'ConfigMap' },
        { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
        { apiVersion: 'v1', kind: 'Pod' },
      ],
      namespace,
    });
    caches.push(cache);
    expect((await cache.ready()).state).toBe('Synced');
    console.info(
      `[k8s] cache initial list of 501 ConfigMaps (+ReplicaSets, Pods): ${(performance.now() - t0).toFixed(0)} ms`,
    );
    expect(cache.list({ kind: 'ConfigMap' })).toHaveLength(501);
    await cache.stop();
  });

  test('a never-reachable cluster stays Unreachable (not Pending) with a reason', async () => {
    const { token, caPem } = testClusterCreds();
    const proxy = await tcpProxy('https://127.0.0.1:1');
    await proxy.close(); // a closed localhost port
    const dead = await connect({ type: 'token', server: `https://127.0.0.1:${proxy.port}`, token, caData: caPem });
    const cache = createClusterCache(dead, { kinds: [{ apiVersion: 'v1', kind: 'ConfigMap' }], backoff: fast });
    caches.push(cache);
    const st = await cache.ready();
    expect(st).toMatchObject({
      state: 'Unreachable',
      message: expect.stringMatching(/ECONNREFUSED/),
      lastSyncAt: undefined,
    });
    expect(cache.list()).toEqual([]);
  });

  test('a kind whose CRD is installed later starts being cached', async ({ kube, namespace }) => {
    const group = `${randomName('g')}.keelson.test`;
    const rec = recorder();
    const cache = createClusterCache(conn, {
      kinds: [{ apiVersion: `${group}/v1`, kind: 'Gadget' }],
      namespace,
      onChange: (e) => rec.events.push(e),
      backoff: fast,
    });
    caches.push(cache);
    const st = await cache.ready();
    expect(st.state).toBe('Synced');
    expect(st.kinds[0].message).toMatch(/does not serve kind Gadget/);
    await applyObject(conn, {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `gadgets.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    });
    try {
      await waitFor('Gadget applied', () =>
        applyObject(conn, {
          apiVersion: `${group}/v1`,
          kind: 'Gadget',
          metadata: { name: 'g1', namespace },
          spec: { x: 1 },
        }),
      );
      await waitFor('Gadget in the cache', async () => rec.seen('ADDED', 'g1'), { timeoutMs: 10_000 });
      expect(cache.status().kinds[0].message).toBeUndefined();
    } finally {
      await kube.objects
        .delete({
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: `gadgets.${group}` },
        })
        .catch(() => undefined);
    }
  });
});
