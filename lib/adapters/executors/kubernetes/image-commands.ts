/**
 * The image ENTRYPOINT/CMD of every step and sidecar that has neither command nor script, looked up in the
 * registry as Tekton's controller does (with the pod's and its service account's imagePullSecrets), keyed by the
 * image reference as the plan writes it.
 */
import type { TaskRunPlan } from '../../../domain/pipeline/task-run-plan';
import type { KubeConnection } from '../../k8s/connection';
import type { ImageCommandSource } from './options';

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

async function readDockerConfig(conn: KubeConnection, namespace: string, name: string): Promise<unknown> {
  const res = await conn.request({
    method: 'GET',
    path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`,
  });
  if (res.status !== 200) return undefined;
  const secret = JSON.parse(res.body) as { data?: Record<string, string> };
  const raw = secret.data?.['.dockerconfigjson'] ?? secret.data?.['.dockercfg'];
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as Record<string, unknown>;
    // A legacy .dockercfg is the `auths` map itself.
    return 'auths' in parsed ? parsed : { auths: parsed };
  } catch {
    return undefined;
  }
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
  try {
    const names = await pullSecretNames(conn, namespace, plan);
    pullSecrets = (await Promise.all(names.map((n) => readDockerConfig(conn, namespace, n)))).filter(Boolean);
  } catch {
    pullSecrets = [];
  }
  const out: ImageCommandMap = {};
  await Promise.all(
    images.map(async (image) => {
      const found = await source.commandOf(image, { pullSecrets, signal });
      out[image] = { entrypoint: [...found.entrypoint], cmd: [...found.cmd] };
    }),
  );
  return out;
}
