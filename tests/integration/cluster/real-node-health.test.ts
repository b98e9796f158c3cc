/**
 * Real health through Keelson's gitops: apps synced from a real git repo whose pods run on the real
 * node, so the kubelet (readiness probes, crashing containers) decides what Keelson reports.
 */
import type { V1Pod, V1PodSpec } from '@kubernetes/client-node';
import { beforeAll, describe, expect } from 'vitest';
import { getObject } from '@/lib/adapters/k8s';
import { getApplication } from '@/lib/server/gitops/applications/get-application';
import { getResourceDetail } from '@/lib/server/gitops/applications/get-resource-detail';
import { getResourceTree } from '@/lib/server/gitops/applications/get-resource-tree';
import type { THealthStatus } from '@/lib/schemas/applications';
import { secretBox } from '@/lib/server/security/secret-box';
import { admin } from '../support/principals';
import { clusterTest as test, waitFor } from './cluster';
import { startGitops, type Gitops } from './gitops-harness';
import { onRealNode, realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();
/** The harness's secret key (gitops-harness.ts), to read the registered cluster's credentials. */
const box = secretBox('gitops-harness-secret-key-0123456789abcdef');

const podSpec = (script: string, extra: Partial<V1PodSpec['containers'][number]> = {}): V1PodSpec =>
  onRealNode({
    terminationGracePeriodSeconds: 1,
    containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', script], ...extra }],
  });

/** A Deployment manifest (JSON is YAML) whose pods run on the real node. */
const deploymentYaml = (name: string, spec: V1PodSpec, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec },
      ...extra,
    },
  });

interface Seen {
  status: THealthStatus;
  message?: string;
  atMs: number;
}

describe.skipIf(!realNode)('real health through gitops: the kubelet decides', () => {
  let h: Gitops;
  beforeAll(async () => {
    h = await startGitops();
  });

  /** Polls the app through the get use case until `done`, recording each change of health. */
  async function healthUntil(name: string, done: (s: Seen) => boolean, timeoutMs = 90_000): Promise<Seen[]> {
    const t0 = Date.now();
    const seen: Seen[] = [];
    for (;;) {
      const { status, message } = (await getApplication(h.t.deps(), admin(), name)).status.health;
      const last = seen[seen.length - 1];
      if (!last || last.status !== status || last.message !== message) {
        seen.push({ status, message, atMs: Date.now() - t0 });
        if (done(seen[seen.length - 1])) return seen;
      }
      if (Date.now() - t0 > timeoutMs) {
        throw new Error(`${name}: timed out; health seen: ${JSON.stringify(seen)}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  /** The live Pod, read through Keelson's own k8s adapter. */
  async function livePod(namespace: string, name: string): Promise<V1Pod | undefined> {
    return (await getObject(h.conn, { apiVersion: 'v1', kind: 'Pod', namespace, name })) as V1Pod | undefined;
  }

  async function createAndSync(name: string, namespace: string, files: Record<string, string>): Promise<void> {
    const r = await h.repo(files);
    await h.createApp(name, { source: { repoURL: r.url, path: 'app' }, destination: { name: 'test', namespace } });
    await h.waitApp(name, (a) => a.resources.length === Object.keys(files).length, 'resources compared');
    const op = await h.waitOperation(await h.sync(name));
    expect(op.phase, op.message).toBe('Succeeded');
  }

  test('a readiness probe that fails at first: Progressing, then Healthy once the kubelet sees it pass', async ({
    namespace,
  }) => {
    const spec = podSpec('sleep 6; touch /tmp/ready; exec sleep 3600', {
      readinessProbe: { exec: { command: ['test', '-f', '/tmp/ready'] }, periodSeconds: 1 },
    });
    await createAndSync('slow-ready', namespace, { 'app/deploy.yaml': deploymentYaml('slow-ready', spec) });
    const seen = await healthUntil('slow-ready', (s) => s.status === 'Healthy');
    const statuses = seen.map((s) => s.status);
    expect(statuses).toContain('Progressing');
    expect(statuses.indexOf('Progressing')).toBeLessThan(statuses.indexOf('Healthy'));
    expect(seen.find((s) => s.status === 'Progressing')?.message).toMatch(/^Waiting for rollout to finish/);
    // The container touches the file 6 s after it starts: Healthy cannot come sooner.
    const progressingFor = seen[seen.length - 1].atMs - (seen.find((s) => s.status === 'Progressing')?.atMs ?? 0);
    expect(progressingFor).toBeGreaterThan(4_000);

    const tree = await getResourceTree(h.t.deps(), admin(), 'slow-ready');
    const pods = tree.nodes.filter((n) => n.kind === 'Pod');
    expect(pods).toHaveLength(1);
    expect(pods[0].health?.status).toBe('Healthy');
    const live = await livePod(namespace, pods[0].name);
    expect(live?.spec?.nodeName).toBe(realNode?.nodeName);
  });

  test('a container that exits non-zero: the Pod waits in CrashLoopBackOff, the Pod and the app are Degraded with the back-off message', async ({
    namespace,
  }) => {
    const pod = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'crasher' },
      spec: podSpec('echo about to fail; exit 1'),
    });
    await createAndSync('crasher', namespace, { 'app/pod.yaml': pod });
    // Degraded once a restarted container is not Ready with a last termination (or while waiting in
    // CrashLoopBackOff). Between crashes the restarted container is briefly Running and Ready (no probe),
    // so the app may blink Healthy, exactly as Argo CD reports such a pod.
    const seen = await healthUntil('crasher', (s) => s.status === 'Degraded');
    const live = await waitFor(
      'two restarts',
      async () => {
        const p = await livePod(namespace, 'crasher');
        return (p?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2 ? p : undefined;
      },
      { timeoutMs: 90_000 },
    );
    expect(live.status?.containerStatuses?.[0]?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    // The container waits in CrashLoopBackOff, and the app says so with the kubelet's message (Argo CD's rule).
    await waitFor(
      'the container waiting in CrashLoopBackOff',
      async () => {
        const p = await livePod(namespace, 'crasher');
        return p?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff' ? p : undefined;
      },
      { timeoutMs: 90_000 },
    );
    const later = await healthUntil('crasher', (s) => s.status === 'Degraded' && /^back-off/.test(s.message ?? ''));
    for (const s of [...seen, ...later].filter((x) => x.status === 'Degraded' && x.message)) {
      expect(s.message).toMatch(/^back-off \d+s restarting failed container=main pod=crasher_/);
    }
    // The kubelet's CrashLoopBackOff, as the resource panel's events show it.
    const detail = await waitFor('a BackOff event on the pod', async () => {
      const d = await getResourceDetail(h.t.deps(), box, admin(), 'crasher', {
        group: '',
        kind: 'Pod',
        namespace,
        name: 'crasher',
      });
      return d.events.some((e) => e.reason === 'BackOff') ? d : undefined;
    });
    expect(detail.events.find((e) => e.reason === 'BackOff')).toMatchObject({
      type: 'Warning',
      message: expect.stringMatching(/^Back-off restarting failed container main in pod crasher_/),
    });
  });

  test('a Deployment whose pods crash before they are ever Ready exceeds progressDeadlineSeconds: Degraded, as Argo CD says', async ({
    namespace,
  }) => {
    // The probe never passes: a Deployment that was once complete (a pod briefly Ready) never times out.
    const spec = podSpec('exit 1', { readinessProbe: { exec: { command: ['test', '-f', '/tmp/never'] } } });
    const yaml = deploymentYaml('deadline', spec, { progressDeadlineSeconds: 10 });
    await createAndSync('deadline', namespace, { 'app/deploy.yaml': yaml });
    const seen = await healthUntil('deadline', (s) => s.status === 'Degraded');
    expect(seen.map((s) => s.status)).not.toContain('Healthy');
    expect(seen.map((s) => s.status)).toContain('Progressing');
    const degraded = seen[seen.length - 1];
    expect(degraded.message).toBe('Deployment "deadline" exceeded its progress deadline');
    expect(degraded.atMs).toBeGreaterThan(5_000);
    const pod = await waitFor('the crashing pod Degraded in the tree', async () => {
      const tree = await getResourceTree(h.t.deps(), admin(), 'deadline');
      const node = tree.nodes.find((n) => n.kind === 'Pod');
      return node?.health?.status === 'Degraded' ? node : undefined;
    });
    expect(pod.parents).toHaveLength(1);
  });
});
