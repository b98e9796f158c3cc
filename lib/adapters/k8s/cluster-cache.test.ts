/**
 * The 410 Gone path, which a fresh API server can't be made to produce on demand (its watch cache
 * replays history from the first list), against a scripted stand-in for the API server.
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createClusterCache, type CacheEvent, type ClusterCache } from './cluster-cache';
import { connect } from './connect';

interface Fake {
  url: string;
  lists: number;
  watchQueries: URLSearchParams[];
  close(): Promise<void>;
}

const expired = {
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  code: 410,
  reason: 'Expired',
  message: 'too old resource version: 1 (42)',
};
/** The API server's discovery of v1: ConfigMaps only. */
const discovery = JSON.stringify({
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [{ name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: ['list', 'watch'] }],
});
const cmJson = (name: string, rv: string): Record<string, unknown> => ({
  metadata: { name, namespace: 'n', uid: `uid-${name}`, resourceVersion: rv },
});

/** Watch 1 ends with an ERROR 410 event, watch 2 answers HTTP 410, watch 3 delivers an ADDED and stays open. */
async function fakeApiServer(): Promise<Fake> {
  const open = new Set<http.ServerResponse>();
  const fake = { url: '', lists: 0, watchQueries: [] as URLSearchParams[] } as Fake;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('Content-Type', 'application/json');
    if (url.pathname === '/api/v1') {
      res.end(discovery);
    } else if (url.pathname === '/api/v1/configmaps' && !url.searchParams.has('watch')) {
      fake.lists++;
      const items = fake.lists === 1 ? [cmJson('a', '5')] : [cmJson('a', '5'), cmJson('late', '40')];
      res.end(JSON.stringify({ kind: 'ConfigMapList', metadata: { resourceVersion: String(40 + fake.lists) }, items }));
    } else if (url.pathname === '/api/v1/configmaps') {
      fake.watchQueries.push(url.searchParams);
      const n = fake.watchQueries.length;
      if (n === 1) res.end(`${JSON.stringify({ type: 'ERROR', object: expired })}\n`);
      else if (n === 2) {
        res.statusCode = 410;
        res.end(JSON.stringify(expired));
      } else {
        open.add(res);
        res.write(
          `${JSON.stringify({ type: 'ADDED', object: { apiVersion: 'v1', kind: 'ConfigMap', ...cmJson('b', '50') } })}\n`,
        );
      }
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  fake.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  fake.close = () => {
    for (const r of open) r.destroy();
    return new Promise((r) => server.close(() => r()));
  };
  return fake;
}

const until = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('cluster cache: 410 Gone', () => {
  let fake: Fake | undefined;
  let cache: ClusterCache | undefined;
  afterEach(async () => {
    await cache?.stop();
    await fake?.close();
  });

  it('re-lists on an ERROR 410 event and on an HTTP 410, then keeps watching from the new list', async () => {
    fake = await fakeApiServer();
    const conn = await connect({ type: 'token', server: fake.url, token: 'secret-token-value', insecure: true });
    const events: CacheEvent[] = [];
    cache = createClusterCache(conn, {
      kinds: [{ apiVersion: 'v1', kind: 'ConfigMap' }],
      onChange: (e) => events.push(e),
      backoff: { initialMs: 10, maxMs: 20 },
    });
    await cache.ready();
    await until(() => events.some((e) => e.obj.metadata.name === 'b'));
    expect(fake.lists).toBe(3);
    expect(fake.watchQueries.map((q) => q.get('resourceVersion'))).toEqual(['41', '42', '43']);
    expect(fake.watchQueries[0].get('allowWatchBookmarks')).toBe('true');
    expect(cache.status()).toMatchObject({ state: 'Synced', kinds: [{ lists: 3, watches: 3, objects: 3 }] });
    // 'late' appeared in the second list: announced once, as coming from a list.
    expect(events.filter((e) => e.obj.metadata.name === 'late')).toEqual([
      expect.objectContaining({ type: 'ADDED', fromList: true }),
    ]);
    expect(events.filter((e) => e.obj.metadata.name === 'a')).toHaveLength(1);
    expect(
      cache
        .list()
        .map((o) => `${o.kind}/${o.metadata.name}`)
        .sort(),
    ).toEqual(['ConfigMap/a', 'ConfigMap/b', 'ConfigMap/late']);
    conn.close();
  });
});

/** A stand-in that lists one ConfigMap and keeps each watch open; `stop()` drops everything, `start()` comes back. */
async function restartableApiServer() {
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('Content-Type', 'application/json');
    if (url.pathname === '/api/v1') {
      res.end(discovery);
    } else if (!url.searchParams.has('watch')) {
      res.end(JSON.stringify({ kind: 'ConfigMapList', metadata: { resourceVersion: '7' }, items: [cmJson('a', '5')] }));
    } else {
      open.add(res);
      res.write('');
    }
  });
  let port = 0;
  const start = () => new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  await start();
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    start,
    stop() {
      for (const r of open) r.destroy();
      open.clear();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe('cluster cache: the API server gone and back', () => {
  it('reports Unreachable once when it goes, Synced once when it is back, and keeps the objects meanwhile', async () => {
    const api = await restartableApiServer();
    const conn = await connect({ type: 'token', server: api.url, token: 'secret-token-value', insecure: true });
    const states: string[] = [];
    const cache = createClusterCache(conn, {
      kinds: [{ apiVersion: 'v1', kind: 'ConfigMap' }],
      onStateChange: (s) => states.push(s),
      backoff: { initialMs: 20, maxMs: 50 },
    });
    try {
      expect((await cache.ready()).state).toBe('Synced');
      expect(states).toEqual([]); // the first list is no change
      await api.stop();
      await until(() => cache.status().state === 'Unreachable');
      expect(cache.status().message).toMatch(/cannot reach http:\/\/127.0.0.1/);
      await new Promise((r) => setTimeout(r, 200)); // more failed attempts: no more reports
      expect(states).toEqual(['Unreachable']);
      expect(cache.list().map((o) => o.metadata.name)).toEqual(['a']);
      await api.start();
      await until(() => cache.status().state === 'Synced');
      expect(states).toEqual(['Unreachable', 'Synced']);
    } finally {
      await cache.stop();
      conn.close();
      await api.stop().catch(() => undefined);
    }
  });
});
