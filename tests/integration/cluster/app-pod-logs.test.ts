import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPodReader } from '@/lib/adapters/k8s/pod-logs';
import { openPodLogStream } from '@/lib/server/gitops/pod-logs';
import type { ClusterPods, PodClusters, PodLogDeps } from '@/lib/server/gitops/pod-ports';
import { createStreamSlots } from '@/lib/server/gitops/stream-slots';
import { ZPodLogsQuery, type TPodLogEvent } from '@/lib/schemas/pod-logs';
import { secretBox } from '@/lib/server/security/secret-box';
import { admin } from '../support/principals';
import { clusterAvailable, makeClients } from './cluster';
import { deployment } from './gitops-fixtures';
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
} from './pod-logs-support';

/**
 * The pod logs API on kwok pods (they have no logs): who may read, which pods are an app's, what is refused
 * before the stream, and that the API server's refusal of a log is a clean `event: error`. Real logs:
 * app-pod-logs-real-node.test.ts.
 */
const suffix = randomBytes(3).toString('hex');
const nsA = `logs-a-${suffix}`;
const nsB = `logs-b-${suffix}`;

const initPod = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  annotations: { kubectl.kubernetes.io/default-container: sidecar }
spec:
  initContainers: [{ name: setup, image: example.invalid/setup:1 }]
  containers:
    - { name: app, image: example.invalid/app:1 }
    - { name: sidecar, image: example.invalid/sidecar:1 }
`;

describe.skipIf(!clusterAvailable)('pod logs API (kwok pods)', () => {
  let h: Gitops;
  let web: LogsWeb;
  const podsOfApp = async (app: string, kind = 'Pod') =>
    (await h.app(app)).tree.filter((n) => n.kind === kind).map((n) => n.name);

  beforeAll(async () => {
    h = await startGitops();
    web = await startLogsWeb(h);
    await Promise.all([makeNamespace(nsA), makeNamespace(nsB)]);
    const a = await h.repo({ 'app/web.yaml': deployment('web', { replicas: 2 }), 'app/solo.yaml': initPod('solo') });
    const b = await h.repo({ 'app/intruder.yaml': deployment('intruder') });
    await h.createApp('logs-a', {
      source: { repoURL: a.url, path: 'app' },
      destination: { name: 'test', namespace: nsA },
    });
    await h.createApp('logs-b', {
      source: { repoURL: b.url, path: 'app' },
      destination: { name: 'test', namespace: nsB },
    });
    for (const app of ['logs-a', 'logs-b']) {
      await h.waitApp(app, (x) => x.resources.length > 0, 'resources compared');
      const op = await h.waitOperation(await h.sync(app));
      expect(op.phase, op.message).toBe('Succeeded');
    }
    await h.waitApp('logs-a', (x) => x.tree.filter((n) => n.kind === 'Pod').length === 3, '3 pods in the tree');
    await h.waitApp('logs-b', (x) => x.tree.some((n) => n.kind === 'Pod'), 'a pod in the tree');
  }, 180_000);
  afterAll(async () => {
    await web?.server.close();
    await Promise.all([dropNamespace(nsA), dropNamespace(nsB)]);
  });

  it("lists a workload's pods newest first and a Pod's containers, init ones first, default annotated", async () => {
    const res = await web.get('alice', podsPath('logs-a', { kind: 'Deployment', resourceName: 'web', namespace: nsA }));
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: { name: string; defaultContainer: string }[] };
    expect(items).toHaveLength(2);
    expect(items.every((p) => p.name.startsWith('web-') && p.defaultContainer === 'main')).toBe(true);
    const solo = await web.get('alice', podsPath('logs-a', { resourceName: 'solo' }));
    expect(await solo.json()).toEqual({
      items: [
        expect.objectContaining({
          name: 'solo',
          namespace: nsA,
          defaultContainer: 'sidecar',
          containers: [
            expect.objectContaining({ name: 'setup', init: true }),
            expect.objectContaining({ name: 'app', init: false }),
            expect.objectContaining({ name: 'sidecar', init: false }),
          ],
        }),
      ],
    });
  });

  it('answers 403 without logs get (naming it), 403 to a stranger, and 404 for an app that does not exist', async () => {
    const q = { kind: 'Deployment', resourceName: 'web' };
    const bob = await web.get('bob', logsPath('logs-a', q));
    expect(bob.status).toBe(403);
    expect(((await bob.json()) as { error: { denied: unknown } }).error.denied).toEqual({
      resource: 'logs',
      action: 'get',
      object: 'default/logs-a',
    });
    expect((await web.get('carol', podsPath('logs-a', q))).status).toBe(403);
    expect((await web.get('carol', logsPath('no-such-app', q))).status).toBe(403);
    expect((await web.get('alice', logsPath('no-such-app', q))).status).toBe(404);
  });

  it('refuses bad parameters with 400 naming each one, before anything is streamed', async () => {
    const res = await web.get(
      'alice',
      logsPath('logs-a', { kind: 'CronJob', resourceName: 'web', tailLines: '0', follow: 'yes', extra: '1' }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/json/);
    const paths = ((await res.json()) as { error: { issues: { path: string }[] } }).error.issues.map((i) => i.path);
    expect(paths.sort()).toEqual(['extra', 'follow', 'kind', 'tailLines']);
    const container = await web.get('alice', logsPath('logs-a', { resourceName: 'solo', container: 'nope' }));
    expect(container.status).toBe(400);
    expect(await container.text()).toMatch(/use one of setup, app, sidecar/);
  });

  it("answers 404 for another app's workload, pod or namespace, and for a pod the app does not own", async () => {
    const [intruderPod] = await podsOfApp('logs-b');
    const kube = makeClients();
    await kube.core.createNamespacedPod({
      namespace: nsA,
      body: { metadata: { name: 'stray' }, spec: { containers: [{ name: 'c', image: 'example.invalid/x:1' }] } },
    });
    const foreign: Record<string, string>[] = [
      { kind: 'Deployment', resourceName: 'intruder', namespace: nsB },
      { kind: 'Deployment', resourceName: 'intruder' },
      { kind: 'Pod', resourceName: intruderPod, namespace: nsB },
      { kind: 'Pod', resourceName: intruderPod },
      { kind: 'Deployment', resourceName: 'web', podName: intruderPod },
      { kind: 'Pod', resourceName: 'stray' },
      { kind: 'Deployment', resourceName: 'web', namespace: nsB },
    ];
    for (const q of foreign) {
      const res = await web.get('alice', logsPath('logs-a', q));
      expect(res.status, JSON.stringify(q)).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/json/);
    }
    expect((await web.get('alice', podsPath('logs-a', { kind: 'Pod', resourceName: 'stray' }))).status).toBe(404);
  });

  it("turns the API server's refusal of a kwok pod's log into an event: error, not a 500 or a crash", async () => {
    const res = await web.get('alice', logsPath('logs-a', { kind: 'Deployment', resourceName: 'web' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const { events, ended } = await readSse(res);
    expect(ended).toBe(true);
    expect(events.at(-1)?.event).toBe('error');
    expect((events.at(-1)?.data as { message: string }).message.length).toBeGreaterThan(0);
    // The server still answers.
    expect((await web.get('alice', podsPath('logs-a', { resourceName: 'solo' }))).status).toBe(200);
  });

  it("keelson app logs: the server's message and a non-zero exit on 4xx and on an error event", async () => {
    const foreign = await keelson(web, 'alice', [
      'app',
      'logs',
      'logs-a',
      '--kind',
      'Deployment',
      '--name',
      'intruder',
    ]);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(/404: Deployment .*\/intruder is not part of "logs-a"/);
    const denied = await keelson(web, 'bob', ['app', 'logs', 'logs-a', '--kind', 'Deployment', '--name', 'web']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^error: 403: /);
    const bad = await keelson(web, 'alice', ['app', 'logs', 'logs-a', '--name', 'solo', '--since', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since must be a duration/);
    const kwok = await keelson(web, 'alice', ['app', 'logs', 'logs-a', '--kind', 'Deployment', '--name', 'web']);
    expect(kwok.code).toBe(1);
    expect(kwok.stdout).toBe('');
    expect(kwok.stderr).toMatch(/^error: \S/);
  });

  describe('the use case, over the real adapter with its calls recorded', () => {
    const calls: string[] = [];
    /** The real cluster connection, each call written down: proof of what was (not) read. */
    const recorded: PodClusters = {
      async connect(credentials) {
        calls.push('connect');
        const real = await connectPodReader(credentials);
        const pods: ClusterPods = {
          get: (key) => (calls.push(`get ${key.kind} ${key.namespace}/${key.name}`), real.get(key)),
          list: (q) => (calls.push(`list ${q.kind} ${q.namespace}`), real.list(q)),
          openLog: (r) => (calls.push(`log ${r.namespace}/${r.pod}/${r.container}`), real.openLog(r)),
          close: () => real.close(),
        };
        return pods;
      },
    };
    const deps = (slots = createStreamSlots(8, 100), logSlots = createStreamSlots(16, 100)): PodLogDeps => ({
      ...h.t.deps(),
      box: secretBox('gitops-harness-secret-key-0123456789abcdef'),
      podClusters: recorded,
      logSlots,
      followSlots: slots,
    });
    const reauthenticate = async () => admin();
    const query = (q: Record<string, string>) => ZPodLogsQuery.parse(q);

    it('never connects to the cluster for a resource outside the tree, nor reads a foreign pod', async () => {
      const [intruderPod] = await podsOfApp('logs-b');
      calls.length = 0;
      const signal = new AbortController().signal;
      await expect(
        openPodLogStream(deps(), admin(), 'logs-a', query({ resourceName: intruderPod, namespace: nsB }), {
          signal,
          reauthenticate,
        }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(
        openPodLogStream(deps(), admin(), 'logs-a', query({ kind: 'Deployment', resourceName: 'intruder' }), {
          signal,
          reauthenticate,
        }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(calls).toEqual([]);
      await expect(
        openPodLogStream(
          deps(),
          admin(),
          'logs-a',
          query({ kind: 'Deployment', resourceName: 'web', podName: intruderPod }),
          { signal, reauthenticate },
        ),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(calls.some((c) => c.includes(nsB) || c.startsWith('log '))).toBe(false);
    });

    it('takes a follow slot per stream: beyond them 429, and a client that leaves frees its slot', async () => {
      const slots = createStreamSlots(1, 10);
      const q = query({ resourceName: 'solo', follow: 'true' });
      const first = new AbortController();
      const events: AsyncIterable<TPodLogEvent> = await openPodLogStream(deps(slots), admin(), 'logs-a', q, {
        signal: first.signal,
        reauthenticate,
      });
      await expect(
        openPodLogStream(deps(slots), admin(), 'logs-a', q, { signal: new AbortController().signal, reauthenticate }),
      ).rejects.toMatchObject({ code: 'RATE_LIMITED' });
      first.abort();
      const again = new AbortController();
      await openPodLogStream(deps(slots), admin(), 'logs-a', q, { signal: again.signal, reauthenticate });
      again.abort();
      expect(events).toBeDefined();
    });

    it('caps every log stream, followed or not: with 8 follows held, beyond 16 per caller 429, and says whose cap', async () => {
      // The web process's numbers (create-web-context.ts): 16 streams and 8 follows per caller, 256 in all.
      const logSlots = createStreamSlots(16, 256);
      const followSlots = createStreamSlots(8, 256);
      const d = deps(followSlots, logSlots);
      const clients: AbortController[] = [];
      const open = (q: Record<string, string>, who = admin()) => {
        const c = new AbortController();
        clients.push(c);
        return openPodLogStream(d, who, 'logs-a', query(q), { signal: c.signal, reauthenticate: async () => who });
      };
      const follow = { resourceName: 'solo', follow: 'true' };
      const once = { resourceName: 'solo', tailLines: '100000' };
      try {
        for (let i = 0; i < 8; i++) await open(follow);
        await expect(open(follow)).rejects.toMatchObject({
          code: 'RATE_LIMITED',
          message: expect.stringMatching(/followed log streams .*at most 8 per caller/),
        });
        // Not followed, not read: each still holds its slot (and would hold an API server socket).
        for (let i = 0; i < 8; i++) await open(once);
        await expect(open(once)).rejects.toMatchObject({
          code: 'RATE_LIMITED',
          message: expect.stringMatching(/Too many log streams are open at once \(at most 16 per caller\)/),
        });
        clients[9].abort(); // one of the non-followed ones
        await open(once);
      } finally {
        for (const c of clients) c.abort();
      }
      // The process-wide cap is named as such.
      const small = deps(createStreamSlots(8, 100), createStreamSlots(16, 2));
      const held = [new AbortController(), new AbortController()];
      for (const c of held)
        await openPodLogStream(small, admin(), 'logs-a', query(once), { signal: c.signal, reauthenticate });
      await expect(
        openPodLogStream(small, admin(), 'logs-a', query(once), {
          signal: new AbortController().signal,
          reauthenticate,
        }),
      ).rejects.toMatchObject({
        code: 'RATE_LIMITED',
        message: expect.stringMatching(/open on this server \(at most 2 for all callers together\)/),
      });
      for (const c of held) c.abort();
    });
  });
});
