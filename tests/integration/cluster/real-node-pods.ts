/**
 * Pods on the real node for the `cluster` tests: create one from a PodSpec (placed with onRealNode),
 * wait for a state, read its logs and events.
 *   await runOnRealNode(kube, namespace, 'once', { restartPolicy: 'Never', containers: [busybox('c', 'echo hi')] });
 *   const pod = await waitPod(kube, namespace, 'once', 'Succeeded', (p) => p.status?.phase === 'Succeeded');
 */
import type { CoreV1Event, V1Container, V1ContainerStateTerminated, V1Pod, V1PodSpec } from '@kubernetes/client-node';
import { type KubeClients, waitFor } from './cluster';
import { onRealNode } from './real-node';

/** A busybox container running `sh -c script` (busybox by its unchanged Docker Hub name). */
export const busybox = (name: string, script: string, extra: Partial<V1Container> = {}): V1Container => ({
  name,
  image: 'busybox',
  command: ['sh', '-c', script],
  ...extra,
});

/** Creates a Pod on the real node; `terminationGracePeriodSeconds: 1` so namespace deletion is quick. */
export async function runOnRealNode(
  kube: KubeClients,
  namespace: string,
  name: string,
  spec: V1PodSpec,
  labels: Record<string, string> = {},
): Promise<V1Pod> {
  return kube.core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name, labels },
      spec: onRealNode({ terminationGracePeriodSeconds: 1, ...spec }),
    },
  });
}

export function waitPod(
  kube: KubeClients,
  namespace: string,
  name: string,
  what: string,
  ok: (p: V1Pod) => boolean,
  timeoutMs = 60_000,
): Promise<V1Pod> {
  return waitFor(
    `pod ${name}: ${what}`,
    async () => {
      const p = await kube.core.readNamespacedPod({ name, namespace });
      return ok(p) ? p : undefined;
    },
    { timeoutMs, intervalMs: 200 },
  );
}

export const isFinished = (p: V1Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

export const isReady = (p: V1Pod): boolean =>
  p.status?.phase === 'Running' && (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** The terminated state of a container (the first one by default). */
export function terminatedOf(p: V1Pod, container?: string): V1ContainerStateTerminated | undefined {
  const all = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
  return (container ? all.find((c) => c.name === container) : p.status?.containerStatuses?.[0])?.state?.terminated;
}

/** The container's log through the API server (which asks the kubelet). */
export function podLogs(kube: KubeClients, namespace: string, name: string, container?: string): Promise<string> {
  return kube.core.readNamespacedPodLog({ name, namespace, container });
}

/** Events about one object of the namespace. */
export async function eventsOf(kube: KubeClients, namespace: string, name: string): Promise<CoreV1Event[]> {
  const list = await kube.core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${name}` });
  return list.items;
}

/** Runs a one-shot pod on the real node to completion and returns it with its log. */
export async function runToCompletion(
  kube: KubeClients,
  namespace: string,
  name: string,
  spec: Omit<V1PodSpec, 'restartPolicy'>,
  timeoutMs = 60_000,
): Promise<{ pod: V1Pod; logs: string }> {
  await runOnRealNode(kube, namespace, name, { restartPolicy: 'Never', ...spec });
  const pod = await waitPod(kube, namespace, name, 'Succeeded or Failed', isFinished, timeoutMs);
  return { pod, logs: await podLogs(kube, namespace, name) };
}
