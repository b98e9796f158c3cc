/**
 * The shared cluster's real node: a container really runs (exit code, logs through apiserver → kubelet,
 * which proves the apiserver's client certificate and the kubelet's webhook authn/authz), and the node's
 * taint keeps every pod that does not ask for it away.
 */
import { describe, expect } from 'vitest';
import { clusterTest as test, waitFor } from './cluster';
import { onRealNode, REAL_NODE_LABEL, realNodeOrSkip } from './real-node';
import { busybox, eventsOf, isFinished, podLogs, runOnRealNode, terminatedOf, waitPod } from './real-node-pods';

const realNode = realNodeOrSkip();

describe.skipIf(!realNode)('the real node', () => {
  test('a busybox pod exits 3 and its log says hello (read through the kubelet)', async ({ kube, namespace }) => {
    const t0 = Date.now();
    await runOnRealNode(kube, namespace, 'hello', {
      restartPolicy: 'Never',
      containers: [busybox('c', 'echo hello; exit 3')],
    });
    const pod = await waitPod(kube, namespace, 'hello', 'Failed', isFinished);
    console.info(`[real-node] busybox pod created → finished in ${Date.now() - t0} ms`);
    expect(pod.spec?.nodeName).toBe(realNode?.nodeName);
    expect(pod.status?.phase).toBe('Failed');
    expect(terminatedOf(pod)?.exitCode).toBe(3);
    expect(pod.status?.podIP).toMatch(
      new RegExp(`^${(realNode?.subnet ?? '').replace(/\.0\/24$/, '').replace(/\./g, '\\.')}\\.`),
    );
    expect(await podLogs(kube, namespace, 'hello')).toBe('hello\n');
  });

  test('a long-running pod turns Running quickly', async ({ kube, namespace }) => {
    const t0 = Date.now();
    await runOnRealNode(kube, namespace, 'sleeper', { containers: [busybox('c', 'sleep 3600')] });
    await waitPod(kube, namespace, 'sleeper', 'Running', (p) => p.status?.phase === 'Running', 30_000);
    const ms = Date.now() - t0;
    console.info(`[real-node] busybox pod created → Running in ${ms} ms`);
    expect(ms).toBeLessThan(15_000);
  });

  test('the Node carries the label, the NoSchedule taint, and the bridge IP as InternalIP', async ({ kube }) => {
    const node = await kube.core.readNode({ name: realNode?.nodeName ?? '' });
    expect(node.metadata?.labels?.[REAL_NODE_LABEL]).toBe('true');
    expect(node.spec?.taints).toContainEqual(
      expect.objectContaining({ key: REAL_NODE_LABEL, value: 'true', effect: 'NoSchedule' }),
    );
    const internal = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    expect(internal).toBe((realNode?.subnet ?? '').replace(/\.0\/24$/, '.1'));
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  test('a pod without the toleration never lands on the real node', async ({ kube, namespace }) => {
    const spec = onRealNode({ containers: [busybox('c', 'sleep 1')] });
    await kube.core.createNamespacedPod({
      namespace,
      body: { metadata: { name: 'no-toleration' }, spec: { ...spec, tolerations: [] } },
    });
    // Plain pods (no selector) go to the kwok nodes only.
    for (const i of [0, 1, 2, 3]) {
      await kube.core.createNamespacedPod({
        namespace,
        body: { metadata: { name: `plain-${i}` }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      });
    }
    const events = await waitFor('FailedScheduling for the pod without toleration', async () => {
      const evs = await eventsOf(kube, namespace, 'no-toleration');
      return evs.some((e) => e.reason === 'FailedScheduling') ? evs : undefined;
    });
    expect(events.map((e) => e.message).join('\n')).toMatch(/1 node\(s\) had untolerated taint/);
    const pending = await kube.core.readNamespacedPod({ namespace, name: 'no-toleration' });
    expect(pending.spec?.nodeName).toBeUndefined();
    const plain = await waitFor('plain pods scheduled', async () => {
      const list = await kube.core.listNamespacedPod({ namespace, labelSelector: '' });
      const placed = list.items.filter((p) => p.metadata?.name?.startsWith('plain-') && p.spec?.nodeName);
      return placed.length === 4 ? placed : undefined;
    });
    for (const p of plain) expect(p.spec?.nodeName).not.toBe(realNode?.nodeName);
  });
});
