/** Creating and deleting a TaskRun's pod, with the failures Tekton tells apart (quota, admission, the rest). */
import type { KubeConnection } from '../../k8s/connection';
import { errorFromResponse, type KubeError } from '../../k8s/errors';
import { ATTEMPT_ANNOTATION, TASK_RUN_ANNOTATION } from './labels';
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
 * Whether `existing` was made for the same TaskRun attempt as `wanted` (its keelson.dev/task-run and
 * keelson.dev/attempt annotations), so that it may be replaced: never a pod of another TaskRun whose name maps to
 * the same pod name (kmeta.ChildName's head+md5 form of a long name is itself a valid shorter name).
 */
export function sameTaskRunAttempt(
  existing: { metadata?: { annotations?: Record<string, string> } } | undefined,
  wanted: { metadata?: { annotations?: Record<string, string> } },
): boolean {
  const a = existing?.metadata?.annotations ?? {};
  const b = wanted.metadata?.annotations ?? {};
  const taskRun = b[TASK_RUN_ANNOTATION];
  const attempt = b[ATTEMPT_ANNOTATION];
  return (
    Boolean(taskRun) && attempt !== undefined && a[TASK_RUN_ANNOTATION] === taskRun && a[ATTEMPT_ANNOTATION] === attempt
  );
}

/**
 * Creates the pod. A pod of the same name left by this attempt's earlier worker (same TaskRun and attempt
 * annotations) is deleted first; one of any other TaskRun is never touched: the TaskRun fails. A namespace over its
 * ResourceQuota is retried until `waitMs` (as upstream keeps such a TaskRun pending), then fails.
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
      const existing = await readPod(conn, ns, pod.metadata.name);
      if (existing && !sameTaskRunAttempt(existing, pod))
        return {
          ok: false,
          reason: 'PodCreationFailed',
          message: `failed to create TaskRun pod "${pod.metadata.name}": a pod of another TaskRun holds the name "${pod.metadata.name}" in namespace "${ns}"; it was left alone (rename this TaskRun or its PipelineRun)`,
        };
      const uid = existing?.metadata?.uid;
      if (uid) {
        await deletePod(conn, ns, pod.metadata.name, 0, uid);
        await waitGone(conn, ns, pod.metadata.name, 60_000, signal, uid);
      }
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

/**
 * Asks for the pod's deletion (its containers get `graceSeconds` to stop); false when it was already gone. With
 * `uid`, only that incarnation is deleted (a precondition): a pod someone else made under the name since is not
 * ours, and is left alone (false).
 */
export async function deletePod(
  conn: KubeConnection,
  namespace: string,
  name: string,
  graceSeconds?: number,
  uid?: string,
): Promise<boolean> {
  const res = await conn.request({
    method: 'DELETE',
    path: `${podsPath(namespace)}/${encodeURIComponent(name)}`,
    body: {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      propagationPolicy: 'Background',
      ...(graceSeconds === undefined ? {} : { gracePeriodSeconds: graceSeconds }),
      ...(uid ? { preconditions: { uid } } : {}),
    },
  });
  if (res.status === 404) return false;
  // The precondition failed: the name now holds another pod.
  if (res.status === 409 && uid) return false;
  if (res.status !== 200 && res.status !== 202) throw errorFromResponse(res.status, res.body, `delete pod ${name}`);
  return true;
}

/** Waits until the pod (of that `uid`, when given) no longer exists (or `timeoutMs` passed); true when it is gone. */
export async function waitGone(
  conn: KubeConnection,
  namespace: string,
  name: string,
  timeoutMs: number,
  signal?: AbortSignal,
  uid?: string,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const pod = await readPod(conn, namespace, name);
    if (!pod || (uid && pod.metadata?.uid !== uid)) return true;
    if (signal?.aborted) return false;
    await sleep(250, signal);
  }
  return false;
}
