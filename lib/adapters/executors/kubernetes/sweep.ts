/**
 * The reaper's half on the cluster: pods Keelson made whose TaskRun is no longer running here (finished, unknown,
 * or its worker died and the lease reaper failed it) are deleted, with their run Secrets.
 */
import type { KubeConnection } from '../../k8s/connection';
import { errorFromResponse } from '../../k8s/errors';
import { ATTEMPT_ANNOTATION, MANAGED_BY, MANAGED_BY_KEELSON, TASK_RUN_ANNOTATION, TASK_RUN_LABEL } from './labels';
import { runSecretName } from './names';
import { deletePod } from './pod-api';
import type { PodObject } from './pod-types';
import { deleteRunSecret } from './run-secret';

export interface SweepOptions {
  /** Only these namespaces (else every namespace, which needs a cluster-wide list of pods). */
  namespaces?: readonly string[];
  /** Finished pods younger than this are kept (the executor's keep time for debugging). */
  keepFinishedPodsMs?: number;
  now?: () => number;
}

export interface SweptPod {
  namespace: string;
  name: string;
  taskRunName: string;
}

/** When the pod's last container ended, for a pod that finished; undefined while it runs. */
function finishedAt(pod: PodObject): number | undefined {
  const phase = pod.status?.phase;
  const steps = (pod.status?.containerStatuses ?? []).filter((c) => c.name.startsWith('step-'));
  // Its steps all ended: finished, even while sidecars still run (and the phase lags behind).
  const stepsEnded = steps.length > 0 && steps.every((c) => c.state?.terminated);
  if (phase !== 'Succeeded' && phase !== 'Failed' && !stepsEnded) return undefined;
  const ends = steps.map((c) => Date.parse(c.state?.terminated?.finishedAt ?? '')).filter((t) => !Number.isNaN(t));
  return ends.length ? Math.max(...ends) : 0;
}

async function listManaged(conn: KubeConnection, namespace: string | undefined): Promise<PodObject[]> {
  const path = namespace ? `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods` : '/api/v1/pods';
  const res = await conn.request({
    method: 'GET',
    path,
    query: { labelSelector: `${MANAGED_BY}=${MANAGED_BY_KEELSON},${TASK_RUN_LABEL}` },
    timeoutMs: 60_000,
  });
  if (res.status === 404 && namespace) return [];
  if (res.status !== 200)
    throw errorFromResponse(res.status, res.body, `list pods${namespace ? ` in ${namespace}` : ''}`);
  return (JSON.parse(res.body) as { items?: PodObject[] }).items ?? [];
}

/**
 * Deletes every pod labelled `app.kubernetes.io/managed-by=keelson` whose TaskRun `isLive` says is not running
 * (`isLive` also gets the pod's attempt: a pod of an attempt the TaskRun has moved past is not live either)
 * (finished ones once their keep time is over); returns what it deleted. Errors for single pods go to `onError`.
 */
export async function sweepOrphanPods(
  conn: KubeConnection,
  isLive: (taskRunName: string, pod: SweptPod & { attempt?: number }) => Promise<boolean>,
  options: SweepOptions = {},
  onError: (error: unknown) => void = () => undefined,
): Promise<SweptPod[]> {
  const now = options.now ?? Date.now;
  const keep = options.keepFinishedPodsMs ?? 0;
  const pods = (
    await Promise.all((options.namespaces ?? [undefined]).map((ns) => listManaged(conn, ns ?? undefined)))
  ).flat();
  const swept: SweptPod[] = [];
  for (const pod of pods) {
    const namespace = pod.metadata?.namespace;
    const name = pod.metadata?.name;
    const taskRunName = pod.metadata?.annotations?.[TASK_RUN_ANNOTATION] ?? pod.metadata?.labels?.[TASK_RUN_LABEL];
    if (!namespace || !name || !taskRunName || pod.metadata?.deletionTimestamp) continue;
    const ended = finishedAt(pod);
    if (ended !== undefined && keep > 0 && now() - ended < keep) continue;
    try {
      const attemptText = pod.metadata?.annotations?.[ATTEMPT_ANNOTATION];
      const attempt = attemptText === undefined ? undefined : Number(attemptText);
      if (await isLive(taskRunName, { namespace, name, taskRunName, attempt })) continue;
      // Only the pod listed (its uid): one made under the name since is not this orphan.
      await deletePod(conn, namespace, name, 0, pod.metadata?.uid);
      await deleteRunSecret(conn, namespace, runSecretName(name));
      swept.push({ namespace, name, taskRunName });
    } catch (error) {
      onError(error);
    }
  }
  return swept;
}
