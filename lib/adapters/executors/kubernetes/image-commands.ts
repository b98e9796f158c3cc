/**
 * The image ENTRYPOINT/CMD of every step and sidecar that has neither command nor script, looked up in the
 * registry as Tekton's controller does (with the pod's and its service account's imagePullSecrets), keyed by the
 * image reference as the plan writes it.
 */
import type { TaskRunPlan } from '../../../domain/pipeline/task-run-plan';
import type { KubeConnection } from '../../k8s/connection';
import { pullSecretConfig } from '../../registry/pull-secrets';
import type { ImageCommandSource } from './options';

/** The Secret types the kubelet takes imagePullSecrets from: no other Secret is read as registry credentials. */
const PULL_SECRET_TYPES = new Set(['kubernetes.io/dockerconfigjson', 'kubernetes.io/dockercfg']);

export type ImageCommandMap = Record<string, { entrypoint: string[]; cmd: string[] }>;

/** Images whose own command the pod needs. */
export function imagesNeedingCommands(plan: TaskRunPlan): string[] {
  const images = new Set<string>();
  for (const step of plan.steps) if (!step.script && !step.command?.length && step.image) images.add(step.image);
  for (const sidecar of plan.sidecars ?? []) {
    const container = sidecar.container as { command?: unknown[] } | undefined;
    const hasCommand = Boolean(sidecar.script || sidecar.command?.length || container?.command?.length);
    if (!hasCommand && sidecar.image) images.add(sidecar.image);
  }
  return [...images];
}

/** The names of the pull secrets the pod will use: the podTemplate's and the service account's. */
async function pullSecretNames(conn: KubeConnection, namespace: string, plan: TaskRunPlan): Promise<string[]> {
  const names = new Set<string>();
  const fromTemplate = plan.pod?.podTemplate?.imagePullSecrets;
  if (Array.isArray(fromTemplate))
    for (const s of fromTemplate) if (typeof s?.name === 'string') names.add(s.name as string);
  const sa = plan.pod?.serviceAccountName ?? 'default';
  const res = await conn.request({
    method: 'GET',
    path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(sa)}`,
  });
  if (res.status === 200) {
    const account = JSON.parse(res.body) as { imagePullSecrets?: { name?: string }[] };
    for (const s of account.imagePullSecrets ?? []) if (s.name) names.add(s.name);
  }
  return [...names];
}

/**
 * The registry credentials of a pull secret, only from a Secret of a pull secret's type (as the kubelet and
 * upstream's k8schain read them); undefined alike for a Secret that is missing, unreadable, of another type or
 * malformed, so what a TaskRun is told never says which Secrets exist.
 */
async function readDockerConfig(conn: KubeConnection, namespace: string, name: string): Promise<unknown> {
  const res = await conn.request({
    method: 'GET',
    path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`,
  });
  if (res.status !== 200) return undefined;
  try {
    const secret = JSON.parse(res.body) as { type?: string; data?: Record<string, string> };
    if (!secret.type || !PULL_SECRET_TYPES.has(secret.type)) return undefined;
    return pullSecretConfig(secret) ?? undefined;
  } catch {
    return undefined;
  }
}

/** One sentence for every pull secret not used, whatever the reason (missing, another type, malformed). */
export function unusedPullSecretsNote(names: readonly string[], namespace: string): string {
  const list = names.map((n) => `"${n}"`).join(', ');
  return `imagePullSecrets not used: ${list} (each must be a Secret of type kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg in namespace "${namespace}" that the executor may read)`;
}

/**
 * Looks the images up; throws the resolver's error (a message for users) for the first that fails. Pull secrets the
 * executor may not read are skipped: the lookup then goes anonymous, as for a public image.
 */
export async function resolveImageCommands(
  conn: KubeConnection,
  namespace: string,
  plan: TaskRunPlan,
  source: ImageCommandSource,
  signal?: AbortSignal,
): Promise<ImageCommandMap> {
  const images = imagesNeedingCommands(plan);
  if (images.length === 0) return {};
  let pullSecrets: unknown[] = [];
  const unused: string[] = [];
  try {
    const names = await pullSecretNames(conn, namespace, plan);
    const configs = await Promise.all(names.map((n) => readDockerConfig(conn, namespace, n).catch(() => undefined)));
    configs.forEach((c, i) => (c ? pullSecrets.push(c) : unused.push(names[i])));
  } catch {
    pullSecrets = [];
  }
  const out: ImageCommandMap = {};
  await Promise.all(
    images.map(async (image) => {
      try {
        const found = await source.commandOf(image, { pullSecrets, signal });
        out[image] = { entrypoint: [...found.entrypoint], cmd: [...found.cmd] };
      } catch (error) {
        if (unused.length === 0 || !(error instanceof Error)) throw error;
        error.message = `${error.message}; ${unusedPullSecretsNote(unused, namespace)}`;
        throw error;
      }
    }),
  );
  return out;
}
