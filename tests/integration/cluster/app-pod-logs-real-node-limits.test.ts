import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '@/lib/adapters/db/schema';
import { sseResponse } from '@/lib/adapters/http-server/sse-response';
import { connectPodReader } from '@/lib/adapters/k8s/pod-logs';
import { ZPodLogsQuery, type TPodLogEvent } from '@/lib/schemas/pod-logs';
import { openPodLogStream } from '@/lib/server/gitops/pod-logs';
import type { PodLogDeps } from '@/lib/server/gitops/pod-ports';
import { createStreamSlots } from '@/lib/server/gitops/stream-slots';
import type { Principal } from '@/lib/server/principal';
import { secretBox } from '@/lib/server/security/secret-box';
import { authenticateApiToken } from '@/lib/server/tokens/authenticate-api-token';
import { createApiToken } from '@/lib/server/tokens/create-api-token';
import { revokeApiToken } from '@/lib/server/tokens/revoke-api-token';
import { principal } from '../support/principals';
import { clusterAvailable, kubeconfigPath, waitFor } from './cluster';
import { startGitops, type Gitops } from './gitops-harness';
import { dropNamespace, makeNamespace, podsPath, startLogsWeb, type LogsWeb } from './pod-logs-support';
import { onRealNode, realNodeOrSkip } from './real-node';

/**
 * What bounds a log stream on the real node: a client that stops reading is cut off and the API server connection
 * closes; a revoked token or a disabled account ends a followed stream with `event: error` at the next recheck.
 */
const HARNESS_SECRET = 'gitops-harness-secret-key-0123456789abcdef';
const realNode = clusterAvailable ? realNodeOrSkip() : null;
const ns = `logs-limits-${randomBytes(3).toString('hex')}`;
const TICKER = `i=0; while true; do i=$((i+1)); echo "line $i"; sleep 0.1; done`;

/** A TCP proxy to the API server that knows which of its connections are open. */
async function countingProxy(target: number) {
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    open.add(client);
    client.pipe(upstream).pipe(client);
    const done = () => {
      open.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', done).on('error', done);
    upstream.on('close', done).on('error', done);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    open,
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe.skipIf(!realNode)('pod log stream limits on the real node', () => {
  let h: Gitops;
  let web: LogsWeb;
  const q = ZPodLogsQuery.parse({ resourceName: 'ticker', follow: 'true', tailLines: '1' });
  const deps = (over: Partial<PodLogDeps> = {}): PodLogDeps => ({
    ...h.t.deps(),
    box: secretBox(HARNESS_SECRET),
    podClusters: { connect: connectPodReader },
    logSlots: createStreamSlots(16, 100),
    followSlots: createStreamSlots(8, 100),
    ...over,
  });
  /** A user with role:admin (through the policy) and a fresh API token of theirs. */
  const userWithToken = async (username: string) => {
    const [u] = await h.t.handle.db.insert(users).values({ username, role: 'user', source: 'local' }).returning();
    const p: Principal = {
      userId: u.id,
      username,
      name: null,
      role: 'user',
      groups: [],
      via: 'token',
      source: 'local',
    };
    const created = await createApiToken(h.t.deps(), p, { name: 'logs' });
    const again = await authenticateApiToken(h.t.deps(), created.token);
    expect(again?.username).toBe(username);
    return { p: again!, id: created.id, token: created.token };
  };

  beforeAll(async () => {
    h = await startGitops();
    web = await startLogsWeb(h);
    await h.t
      .deps()
      .accessStores.rbac.put(
        { 'policy.default': '', 'policy.csv': 'g, alice, role:admin\ng, erin, role:admin\ng, frank, role:admin\n' },
        'test',
      );
    await makeNamespace(ns);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'ticker' },
      spec: onRealNode({
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', TICKER] }],
      }),
    };
    const repo = await h.repo({ 'app/ticker.yaml': JSON.stringify(pod) });
    await h.createApp('limits', {
      source: { repoURL: repo.url, path: 'app' },
      destination: { name: 'test', namespace: ns },
    });
    await h.waitApp('limits', (x) => x.resources.length > 0, 'resources compared');
    const op = await h.waitOperation(await h.sync('limits'));
    expect(op.phase, op.message).toBe('Succeeded');
    await waitFor(
      'the ticker running',
      async () => {
        const res = await web.get('alice', podsPath('limits', { resourceName: 'ticker' }));
        const items = ((await res.json()) as { items?: { containers: { state: string }[] }[] }).items ?? [];
        return items[0]?.containers[0]?.state === 'running';
      },
      { timeoutMs: 60_000 },
    );
  }, 240_000);
  afterAll(async () => {
    await web?.server.close();
    await dropNamespace(ns);
  });

  it('cuts off a client that stops reading after the stall timeout, closes the API server connection and frees the slot', async () => {
    const apiserver = /server: https:\/\/127\.0\.0\.1:(\d+)/.exec(readFileSync(kubeconfigPath, 'utf8'));
    expect(apiserver).not.toBeNull();
    const proxy = await countingProxy(Number(apiserver![1]));
    try {
      const logSlots = createStreamSlots(16, 100);
      // The stored credentials are opened as always; only the connection goes through the counting proxy.
      const d = deps({
        logSlots,
        podClusters: {
          connect: (c) =>
            connectPodReader(
              c.type === 'kubeconfig' && c.content
                ? {
                    ...c,
                    content: c.content.replace(
                      /server: https:\/\/127\.0\.0\.1:\d+/,
                      `server: https://127.0.0.1:${proxy.port}`,
                    ),
                  }
                : c,
            ),
        },
      });
      const gone = new AbortController();
      const events = await openPodLogStream(d, principal('alice'), 'limits', q, {
        signal: gone.signal,
        reauthenticate: async () => principal('alice'),
      });
      const res = sseResponse(events, gone, { stallMs: 1000 });
      const reader = res.body!.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toMatch(/^event: log\ndata: .*"line":"line \d+"/);
      expect(proxy.open.size).toBe(1);
      // Stop reading: the ticker's lines queue up unread.
      const stalledAt = Date.now();
      await new Promise((r) => gone.signal.addEventListener('abort', r, { once: true }));
      expect(Date.now() - stalledAt).toBeGreaterThanOrEqual(900);
      expect(Date.now() - stalledAt).toBeLessThan(5000);
      await waitFor('the API server connection to close', async () => proxy.open.size === 0, {
        timeoutMs: 5000,
        intervalMs: 50,
      });
      await expect(reader.read()).rejects.toThrow(/read nothing/);
      // The slot is free again: 16 more streams fit.
      const releases = Array.from({ length: 16 }, () => logSlots.take('x'));
      expect(releases.every(Boolean)).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it('ends a followed log with event: error once the API token is revoked (or the account disabled) while it streams', async () => {
    for (const how of ['revoke', 'disable'] as const) {
      const erin = await userWithToken(how === 'revoke' ? 'erin' : 'frank');
      const client = new AbortController();
      const events = await openPodLogStream(deps(), erin.p, 'limits', q, {
        signal: client.signal,
        reauthenticate: () => authenticateApiToken(h.t.deps(), erin.token),
        recheckMs: 200,
      });
      const seen: TPodLogEvent[] = [];
      let endedAt = 0;
      let cutAt = 0;
      const cut = setTimeout(() => client.abort(), 15_000);
      try {
        for await (const e of events) {
          seen.push(e);
          if (seen.length === 3) {
            cutAt = Date.now();
            if (how === 'revoke') await revokeApiToken(h.t.deps(), erin.p, erin.id);
            else await h.t.handle.db.update(users).set({ disabled: true }).where(eq(users.id, erin.p.userId));
          }
        }
        endedAt = Date.now();
      } finally {
        clearTimeout(cut);
      }
      expect(client.signal.aborted, how).toBe(false);
      expect(seen.at(-1), how).toMatchObject({
        event: 'error',
        data: { message: expect.stringMatching(/session or API token is no longer valid/) },
      });
      expect(endedAt - cutAt, how).toBeLessThan(2000);
    }
  });

  it('ends with a generic event: error when the recheck fails unexpectedly, and logs the detail on the server', async () => {
    const logged: string[] = [];
    let calls = 0;
    const events = await openPodLogStream(deps(), principal('alice'), 'limits', q, {
      signal: new AbortController().signal,
      reauthenticate: async () => {
        if (++calls > 1) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        return principal('alice');
      },
      recheckMs: 200,
      log: (l) => logged.push(l),
    });
    const seen: TPodLogEvent[] = [];
    for await (const e of events) seen.push(e);
    expect(seen.at(-1)).toEqual({ event: 'error', data: { message: 'internal error; see the server log' } });
    expect(JSON.stringify(seen)).not.toMatch(/ECONNREFUSED/);
    expect(logged.join('\n')).toMatch(/\[pod logs\] recheck: .*ECONNREFUSED 127\.0\.0\.1:5432/);
  });
});
