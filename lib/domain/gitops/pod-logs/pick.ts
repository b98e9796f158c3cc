/** Which pod and container a logs request means: the one it names (if it is there), else the default. */
import type { KubeObject } from '../k8s-object';
import { containerNames, defaultContainer } from './pod-summary';

export type Picked<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * The pod named `podName` among `pods` (a resource's pods, newest first), or the first one when none is named.
 * `what` names the resource in messages (`Deployment web/api`).
 */
export function pickPod(pods: readonly KubeObject[], podName: string | undefined, what: string): Picked<KubeObject> {
  if (podName) {
    const pod = pods.find((p) => p.metadata.name === podName);
    if (pod) return { ok: true, value: pod };
    const names = pods.map((p) => p.metadata.name).join(', ');
    return { ok: false, message: `Pod ${podName} is not one of the pods of ${what}${names ? ` (${names})` : ''}.` };
  }
  if (pods.length === 0) return { ok: false, message: `${what} has no pods now.` };
  return { ok: true, value: pods[0] };
}

/** The named container (init containers included), or the pod's default container. */
export function pickContainer(pod: KubeObject, container: string | undefined): Picked<string> {
  if (!container) {
    const chosen = defaultContainer(pod);
    return chosen ? { ok: true, value: chosen } : { ok: false, message: `Pod ${pod.metadata.name} has no containers.` };
  }
  const names = containerNames(pod).map((c) => c.name);
  if (names.includes(container)) return { ok: true, value: container };
  return {
    ok: false,
    message: `Pod ${pod.metadata.name} has no container "${container}": use one of ${names.join(', ') || '(none)'}.`,
  };
}
