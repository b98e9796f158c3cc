import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect } from 'vitest';
import { clusterAvailable, clusterTest as test, waitFor } from './cluster';

const podIsReady = (p: V1Pod): boolean =>
  p.status?.phase === 'Running' && (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

describe.skipIf(!clusterAvailable)('workloads on fake kwok nodes', () => {
  test('a Deployment with 3 replicas becomes Available with 3 Running, Ready pods on fake nodes', async ({
    kube,
    namespace,
  }) => {
    const labels = { app: 'web' };
    await kube.apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 3,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'example.invalid/web:1' }] } },
        },
      },
    });
    const dep = await waitFor('deployment web Available with 3 ready replicas', async () => {
      const d = await kube.apps.readNamespacedDeployment({ name: 'web', namespace });
      const available = d.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True');
      return available && d.status?.readyReplicas === 3 && d.status.availableReplicas === 3 ? d : undefined;
    });
    expect(dep.status?.replicas).toBe(3);

    const pods = await kube.core.listNamespacedPod({ namespace, labelSelector: 'app=web' });
    expect(pods.items).toHaveLength(3);
    expect(pods.items.every(podIsReady)).toBe(true);
    const nodes = await kube.core.listNode({ labelSelector: 'keelson.test/fake-node=true' });
    const fakeNodeNames = new Set(nodes.items.map((n) => n.metadata?.name));
    expect(fakeNodeNames.size).toBe(3);
    for (const pod of pods.items) expect(fakeNodeNames.has(pod.spec?.nodeName)).toBe(true);
  });

  test('a Job completes', async ({ kube, namespace }) => {
    await kube.batch.createNamespacedJob({
      namespace,
      body: {
        metadata: { name: 'once' },
        spec: {
          backoffLimit: 0,
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'example.invalid/job:1' }] } },
        },
      },
    });
    const job = await waitFor('job once Complete', async () => {
      const j = await kube.batch.readNamespacedJob({ name: 'once', namespace });
      return j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ? j : undefined;
    });
    expect(job.status?.succeeded).toBe(1);
    expect(job.status?.failed ?? 0).toBe(0);
  });

  test('a bare Pod with restartPolicy Never reaches Succeeded', async ({ kube, namespace }) => {
    await kube.core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: 'one-shot' },
        spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'example.invalid/once:1' }] },
      },
    });
    const pod = await waitFor('pod one-shot Succeeded', async () => {
      const p = await kube.core.readNamespacedPod({ name: 'one-shot', namespace });
      return p.status?.phase === 'Succeeded' ? p : undefined;
    });
    expect(pod.metadata?.ownerReferences ?? []).toHaveLength(0);
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(0);
  });

  test('a long-running bare Pod (restartPolicy Always) stays Running', async ({ kube, namespace }) => {
    await kube.core.createNamespacedPod({
      namespace,
      body: { metadata: { name: 'server' }, spec: { containers: [{ name: 'c', image: 'example.invalid/srv:1' }] } },
    });
    await waitFor('pod server Running and Ready', async () =>
      podIsReady(await kube.core.readNamespacedPod({ name: 'server', namespace })),
    );
    await new Promise((r) => setTimeout(r, 1500));
    const pod = await kube.core.readNamespacedPod({ name: 'server', namespace });
    expect(pod.status?.phase).toBe('Running');
  });

  test('a Service gets a ClusterIP from the service range', async ({ kube, namespace }) => {
    const svc = await kube.core.createNamespacedService({
      namespace,
      body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
    });
    expect(svc.spec?.clusterIP).toMatch(/^10\.96\.\d{1,3}\.\d{1,3}$/);
    const read = await kube.core.readNamespacedService({ name: 'web', namespace });
    expect(read.spec?.clusterIP).toBe(svc.spec?.clusterIP);
  });
});
