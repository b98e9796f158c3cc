import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import type { V1PodSpec } from '@kubernetes/client-node';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusters } from '@/lib/adapters/db/schema';
import { connectPodReader } from '@/lib/adapters/k8s/pod-logs';
import { CUT_MARKER, MAX_LINE_BYTES } from '@/lib/domain/gitops/pod-logs/log-lines';
import { ZPodLogsQuery, type TPodLogEvent } from '@/lib/schemas/pod-logs';
import { openPodLogStream } from '@/lib/server/gitops/pod-logs';
import type { PodLogDeps } from '@/lib/server/gitops/pod-ports';
import { createStreamSlots } from '@/lib/server/gitops/stream-slots';
import { secretBox } from '@/lib/server/security/secret-box';
import { principal } from '../support/principals';
import { clusterAvailable, kubeconfigPath, waitFor } from './cluster';
import { startGitops, type Gitops } from './gitops-harness';
import {
  dropNamespace,
  keelson,
  logsPath,
  makeNamespace,
  podsPath,
  readSse,
  startLogsWeb,
  type LogsWeb,
  type SseMessage,
} from './pod-logs-support';
import { onRealNode, realNodeOrSkip } from './real-node';

/**
 * Real container logs through the API (kubelet + containerd on the real node): tail, follow, the end of a
 * followed container, previous after a restart, picking one of two pods, an init container, a foreign pod,
 * 429 beyond 8 followed logs, and no connection to the API server left once the client closed.
 */
const HARNESS_SECRET = 'gitops-harness-secret-key-0123456789abcdef';
const realNode = clusterAvailable ? realNodeOrSkip() : null;
const ns = `logs-real-${randomBytes(3).toString('hex')}`;
const nsOther = `${ns}-b`;

/** Numbered green lines every 200 ms, with the pod's name. */
const TICKER = `i=0; while true; do i=$((i+1)); printf '\\033[32mline %d\\033[0m from %s\\n' $i "$HOSTNAME"; sleep 0.2; done`;

const busybox = (name: string, script: string) => ({ name, image: 'busybox', command: ['sh', '-c', script] });
const spec = (s: V1PodSpec): V1PodSpec => onRealNode({ terminationGracePeriodSeconds: 1, ...s });
const deploymentYaml = (name: string, replicas: number, podSpec: V1PodSpec) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: spec(podSpec) },
    },
  });
const podYaml = (name: string, podSpec: V1PodSpec) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: spec(podSpec) });

const ESC = String.fromCharCode(27);
type Log = { pod: string; container: string; line: string; timestamp: string | null };
const lines = (events: SseMessage[]) => events.filter((e) => e.event === 'log').map((e) => e.data as Log);

describe.skipIf(!realNode)('pod logs API on the real node', () => {
  let h: Gitops;
  let web: LogsWeb;
  const pods = async (q: Record<string, string>) => {
    const res = await web.get('alice', podsPath('real-logs', q));
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: { name: string; containers: { restartCount: number; state: string }[] }[] })
      .items;
  };

  beforeAll(async () => {
    h = await startGitops();
    web = await startLogsWeb(h);
    await Promise.all([makeNamespace(ns), makeNamespace(nsOther)]);
    const repo = await h.repo({
      'app/ticker.yaml': deploymentYaml('ticker', 2, { containers: [busybox('main', TICKER)] }),
      // Three lines, then exit 1: restarted by the kubelet, so `previous` has a log.
      'app/crashy.yaml': deploymentYaml('crashy', 1, {
        containers: [
          busybox('main', 'echo "start $(date +%s%N)"; for i in 1 2 3; do echo "crash line $i"; done; sleep 1; exit 1'),
        ],
      }),
      'app/short.yaml': podYaml('short', {
        restartPolicy: 'Never',
        initContainers: [busybox('setup', 'echo init-done')],
        containers: [busybox('main', 'for i in 1 2 3 4 5 6 7 8; do echo "short $i"; sleep 0.25; done')],
      }),
      // One 100 000-byte line between two short ones.
      'app/wide.yaml': podYaml('wide', {
        restartPolicy: 'Never',
        containers: [busybox('main', "echo before; head -c 100000 /dev/zero | tr '\\0' x; echo; echo after")],
      }),
    });
    const other = await h.repo({ 'app/other.yaml': podYaml('other', { containers: [busybox('main', TICKER)] }) });
    await h.createApp('real-logs', {
      source: { repoURL: repo.url, path: 'app' },
      destination: { name: 'test', namespace: ns },
    });
    await h.createApp('real-other', {
      source: { repoURL: other.url, path: 'app' },
      destination: { name: 'test', namespace: nsOther },
    });
    for (const app of ['real-logs', 'real-other']) {
      await h.waitApp(app, (x) => x.resources.length > 0, 'resources compared');
      const op = await h.waitOperation(await h.sync(app));
      expect(op.phase, op.message).toBe('Succeeded');
    }
    await h.waitApp(
      'real-logs',
      (x) => x.tree.filter((n) => n.kind === 'Pod').length >= 5,
      'the pods in the tree',
      60_000,
    );
    await waitFor(
      'two ticker pods running',
      async () => {
        const items = await pods({ kind: 'Deployment', resourceName: 'ticker' });
        return items.length === 2 && items.every((p) => p.containers[0].state === 'running');
      },
      { timeoutMs: 60_000 },
    );
  }, 240_000);
  afterAll(async () => {
    await web?.server.close();
    await Promise.all([dropNamespace(ns), dropNamespace(nsOther)]);
  });

  it('tails the last lines: ANSI kept, the timestamp split off, then end completed', async () => {
    await new Promise((r) => setTimeout(r, 1200));
    const res = await web.get(
      'alice',
      logsPath('real-logs', { kind: 'Deployment', resourceName: 'ticker', tailLines: '3' }),
    );
    expect(res.status).toBe(200);
    const { events } = await readSse(res);
    const got = lines(events);
    expect(got).toHaveLength(3);
    for (const l of got) {
      expect(l.container).toBe('main');
      expect(l.line).toMatch(new RegExp(`^${ESC}\\[32mline \\d+${ESC}\\[0m from ticker-`));
      expect(l.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+Z$/);
    }
    const numbers = got.map((l) => Number(/line (\d+)/.exec(l.line)![1]));
    expect(numbers).toEqual([numbers[0], numbers[0] + 1, numbers[0] + 2]);
    expect(events.at(-1)).toEqual({ event: 'end', data: { reason: 'completed' } });
  });

  it('follows: new lines keep arriving after the tail', async () => {
    const res = await web.get(
      'alice',
      logsPath('real-logs', { kind: 'Deployment', resourceName: 'ticker', tailLines: '1', follow: 'true' }),
    );
    const started = Date.now();
    const { events, ended } = await readSse(res, (_, all) => lines(all).length >= 6);
    expect(ended).toBe(false);
    const numbers = lines(events).map((l) => Number(/line (\d+)/.exec(l.line)![1]));
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0] + i));
    // Six lines 200 ms apart, only one of them from the tail: the rest came while the stream was open.
    expect(Date.now() - started).toBeGreaterThan(700);
  });

  it('picks the named one of two pods, and refuses a pod of another app with 404', async () => {
    const items = await pods({ kind: 'Deployment', resourceName: 'ticker' });
    const second = items[1].name;
    const res = await web.get(
      'alice',
      logsPath('real-logs', { kind: 'Deployment', resourceName: 'ticker', podName: second, tailLines: '2' }),
    );
    const got = lines((await readSse(res)).events);
    expect(got.length).toBe(2);
    expect(got.every((l) => l.pod === second && l.line.endsWith(`from ${second}`))).toBe(true);
    const foreign: Record<string, string>[] = [
      { kind: 'Pod', resourceName: 'other', namespace: nsOther },
      { kind: 'Deployment', resourceName: 'ticker', podName: 'other' },
    ];
    for (const q of foreign) expect((await web.get('alice', logsPath('real-logs', q))).status).toBe(404);
  });

  it("reads an init container's log, and a followed container's log ends with end completed when it exits", async () => {
    const init = await web.get('alice', logsPath('real-logs', { resourceName: 'short', container: 'setup' }));
    expect(lines((await readSse(init)).events).map((l) => l.line)).toEqual(['init-done']);
    const res = await web.get(
      'alice',
      logsPath('real-logs', { resourceName: 'short', follow: 'true', tailLines: '100' }),
    );
    const { events, ended } = await readSse(res);
    expect(ended).toBe(true);
    expect(lines(events).map((l) => l.line)).toContain('short 8');
    expect(events.at(-1)).toEqual({ event: 'end', data: { reason: 'completed' } });
  });

  it("gives the previous instance's log after a restart, and an event: error where there is none", async () => {
    await waitFor(
      'crashy to restart',
      async () => {
        const [p] = await pods({ kind: 'Deployment', resourceName: 'crashy' });
        return (p?.containers[0].restartCount ?? 0) >= 1;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    // Right after a restart the kubelet may still be switching instances: ask until the previous one answers,
    // and show what was answered last if it never does.
    let last: SseMessage[] = [];
    const got = await waitFor(
      "the previous instance's lines",
      async () => {
        const prev = await web.get(
          'alice',
          logsPath('real-logs', { kind: 'Deployment', resourceName: 'crashy', previous: 'true' }),
        );
        last = (await readSse(prev)).events;
        const text = lines(last).map((l) => l.line);
        return text.length === 4 ? text : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 500 },
    ).catch((err: Error) => {
      throw new Error(`${err.message}; last answer: ${JSON.stringify(last)}`);
    });
    expect(got[0]).toMatch(/^start /);
    expect(got.slice(1)).toEqual(['crash line 1', 'crash line 2', 'crash line 3']);
    expect(last.at(-1)).toEqual({ event: 'end', data: { reason: 'completed' } });
    const none = await web.get('alice', logsPath('real-logs', { resourceName: 'short', previous: 'true' }));
    expect(none.status).toBe(200);
    const { events } = await readSse(none);
    expect(events).toHaveLength(1);
    expect(events[0].event).toBe('error');
    expect((events[0].data as { message: string }).message).toMatch(/previous terminated container/);
  });

  it('cuts a line longer than 64 KiB with a marker and goes on with the next line', async () => {
    const got = await waitFor('the wide pod to have written its log', async () => {
      const res = await web.get('alice', logsPath('real-logs', { resourceName: 'wide' }));
      const text = lines((await readSse(res)).events).map((l) => l.line);
      return text.length === 3 ? text : undefined;
    });
    expect(got[0]).toBe('before');
    expect(got[1].endsWith(CUT_MARKER)).toBe(true);
    expect(got[1]).toMatch(/^x+ … \[line cut/);
    // The kubelet's timestamp and its space count towards the 64 KiB of the raw line.
    expect(Buffer.byteLength(got[1].slice(0, -CUT_MARKER.length))).toBeLessThanOrEqual(MAX_LINE_BYTES);
    expect(Buffer.byteLength(got[1].slice(0, -CUT_MARKER.length))).toBeGreaterThan(MAX_LINE_BYTES - 64);
    expect(got[2]).toBe('after');
  });

  it('refuses a 9th followed log of one caller with 429, and frees the slot when a client leaves', async () => {
    const q = { kind: 'Deployment', resourceName: 'ticker', follow: 'true', tailLines: '1' };
    const clients = Array.from({ length: 8 }, () => new AbortController());
    const open = await Promise.all(
      clients.map((c) => web.get('alice', logsPath('real-logs', q), { signal: c.signal })),
    );
    expect(open.map((r) => r.status)).toEqual(Array(8).fill(200));
    const ninth = await web.get('alice', logsPath('real-logs', q));
    expect(ninth.status).toBe(429);
    expect(await ninth.text()).toMatch(/at most 8 per caller/);
    // Another caller is not held back by alice's streams... (bob may not read logs: his answer is 403, not 429).
    expect((await web.get('bob', logsPath('real-logs', q))).status).toBe(403);
    clients[0].abort();
    const again = await waitFor('a free slot', async () => {
      const res = await web.get('alice', logsPath('real-logs', q));
      if (res.status === 200) return res;
      await res.body?.cancel();
      return undefined;
    });
    await again.body?.cancel();
    for (const c of clients) c.abort();
  });

  it('keelson app logs prints the lines (timestamps on request) and ends cleanly on Ctrl-C while following', async () => {
    const tail = await keelson(web, 'alice', [
      'app',
      'logs',
      'real-logs',
      '--kind',
      'Deployment',
      '--name',
      'ticker',
      '--tail',
      '3',
      '--timestamps',
    ]);
    expect(tail.code, tail.stderr).toBe(0);
    const printed = tail.stdout.trimEnd().split('\n');
    expect(printed).toHaveLength(3);
    for (const l of printed) expect(l).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\S+Z ${ESC}\\[32mline \\d+`));
    const follow = await keelson(
      web,
      'alice',
      ['app', 'logs', 'real-logs', '--kind', 'Deployment', '--name', 'ticker', '-f', '--tail', '1'],
      (out) => out.split('\n').length > 3,
    );
    expect(follow.code).toBe(0);
    expect(follow.stderr).toBe('');
    expect(follow.stdout).toMatch(/line \d+/);
  });

  it('ends a followed log with an error event once logs get is revoked while it streams', async () => {
    const rbac = h.t.deps().accessStores.rbac;
    const before = await rbac.get();
    const policy = (logs: boolean) => ({
      'policy.default': '',
      'policy.csv': `g, alice, role:admin\np, dave, applications, get, */*, allow\n${logs ? 'p, dave, logs, get, */*, allow\n' : ''}`,
    });
    await rbac.put(policy(true), 'test');
    const deps: PodLogDeps = {
      ...h.t.deps(),
      box: secretBox(HARNESS_SECRET),
      podClusters: { connect: connectPodReader },
      logSlots: createStreamSlots(16, 100),
      followSlots: createStreamSlots(8, 100),
    };
    const client = new AbortController();
    const q = ZPodLogsQuery.parse({ kind: 'Deployment', resourceName: 'ticker', follow: 'true', tailLines: '1' });
    const events = await openPodLogStream(deps, principal('dave'), 'real-logs', q, {
      signal: client.signal,
      reauthenticate: async () => principal('dave'),
      recheckMs: 100,
    });
    const seen: TPodLogEvent[] = [];
    const cut = setTimeout(() => client.abort(), 15_000);
    try {
      for await (const e of events) {
        seen.push(e);
        if (seen.length === 2) await rbac.put(policy(false), 'test');
      }
    } finally {
      clearTimeout(cut);
      if (before) await rbac.put(before.data, 'test');
    }
    expect(client.signal.aborted).toBe(false);
    expect(seen.at(-1)).toMatchObject({ event: 'error', data: { message: expect.stringMatching(/logs/) } });
  });

  it('leaves no connection to the API server open once the client closed a followed log', async () => {
    // Only the web side may talk to the cluster through the counting proxy: stop the controller (its watches).
    await h.controller.stop();
    const kubeconfig = readFileSync(kubeconfigPath, 'utf8');
    const server = /server: https:\/\/127\.0\.0\.1:(\d+)/.exec(kubeconfig);
    expect(server).not.toBeNull();
    const open = new Set<net.Socket>();
    const proxy = net.createServer((client) => {
      const upstream = net.connect(Number(server![1]), '127.0.0.1');
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
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxied = kubeconfig.replace(
      server![0],
      `server: https://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`,
    );
    const box = secretBox(HARNESS_SECRET);
    const [row] = await h.t.handle.db.select().from(clusters).where(eq(clusters.name, 'test'));
    await h.t.handle.db
      .update(clusters)
      .set({ sealedCredentials: box.seal(JSON.stringify({ type: 'kubeconfig', content: proxied })) })
      .where(eq(clusters.name, 'test'));
    try {
      const client = new AbortController();
      const res = await web.get(
        'alice',
        logsPath('real-logs', { kind: 'Deployment', resourceName: 'ticker', follow: 'true', tailLines: '1' }),
        {
          signal: client.signal,
        },
      );
      await readSse(res, (_, all) => lines(all).length >= 3);
      expect(open.size).toBeGreaterThanOrEqual(1);
      client.abort();
      await waitFor('every proxied connection to close', async () => open.size === 0, {
        timeoutMs: 5000,
        intervalMs: 50,
      });
    } finally {
      await h.t.handle.db
        .update(clusters)
        .set({ sealedCredentials: row.sealedCredentials })
        .where(eq(clusters.name, 'test'));
      await new Promise<void>((r) => proxy.close(() => r()));
      await h.restartController();
    }
  });
});
