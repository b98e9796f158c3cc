/** Creating and deleting a TaskRun's pod, with the failures Tekton tells apart (quota, admission, the rest). */
import type { KubeConnection } from '../../k8s/connection';
import { errorFromResponse, type KubeError } from '../../k8s/errors';
import type { PodObject } from './pod-types';
import { readPod } from './pod-watch';

const podsPath = (ns: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`;

export type CreatePodResult =
  | { ok: true; pod: PodObject }
  | {
      ok: false;
      reason: 'ExceededResourceQuota' | 'PodAdmissionFailed' | 'PodCreationFailed';
      message: string;
    };

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

function classify(error: KubeError): 'quota' | 'admission' | 'other' {
  if (error.status === 403 && /exceeded quota/i.test(error.message)) return 'quota';
  if (error.status === 403 && /violates PodSecurity|admission webhook|denied the request/i.test(error.message))
    return 'admission';
  if (error.status === 400 && /admission webhook/i.test(error.message)) return 'admission';
  return 'other';
}

/**
 * Creates the pod. A pod of the same name left by this attempt's earlier worker is deleted first; a namespace over
 * its ResourceQuota is retried until `waitMs` (as upstream keeps such a TaskRun pending), then fails.
 */
export async function createPod(
  conn: KubeConnection,
  pod: PodObject & { metadata: { name: string; namespace: string } },
  waitMs: number,
  signal?: AbortSignal,
): Promise<CreatePodResult> {
  const ns = pod.metadata.namespace;
  const until = Date.now() + waitMs;
  let replaced = false;
  for (let attempt = 0; ; attempt++) {
    const res = await conn.request({ method: 'POST', path: podsPath(ns), body: pod, signal });
    if (res.status === 201 || res.status === 200) return { ok: true, pod: JSON.parse(res.body) as PodObject };
    const error = errorFromResponse(res.status, res.body, `create pod ${pod.metadata.name}`);
    if (res.status === 409 && !replaced) {
      replaced = true;
      await deletePod(conn, ns, pod.metadata.name, 0);
      await waitGone(conn, ns, pod.metadata.name, 60_000, signal);
      continue;
    }
    const kind = classify(error);
    if (kind === 'quota' && Date.now() < until && !signal?.aborted) {
      await sleep(Math.min(1000 * 2 ** Math.min(attempt, 4), Math.max(0, until - Date.now())), signal);
      continue;
    }
    const reason =
      kind === 'quota' ? 'ExceededResourceQuota' : kind === 'admission' ? 'PodAdmissionFailed' : 'PodCreationFailed';
    return { ok: false, reason, message: `failed to create TaskRun pod "${pod.metadata.name}": ${error.message}` };
  }
}

/** Asks for the pod's deletion (its containers get `graceSeconds` to stop); false when it was already gone. */
export async function deletePod(
  conn: KubeConnection,
  namespace: string,
  name: string,
  graceSeconds?: number,
): Promise<boolean> {
  const res = await conn.request({
    method: 'DELETE',
    path: `${podsPath(namespace)}/${encodeURIComponent(name)}`,
    body: {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      propagationPolicy: 'Background',
      ...(graceSeconds === undefined ? {} : { gracePeriodSeconds: graceSeconds }),
    },
  });
  if (res.status === 404) return false;
  if (res.status !== 200 && res.status !== 202) throw errorFromResponse(res.status, res.body, `delete pod ${name}`);
  return true;
}

/** Waits until the pod no longer exists (or `timeoutMs` passed); true when it is gone. */
export async function waitGone(
  conn: KubeConnection,
  namespace: string,
  name: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!(await readPod(conn, namespace, name))) return true;
    if (signal?.aborted) return false;
    await sleep(250, signal);
  }
  return false;
}
