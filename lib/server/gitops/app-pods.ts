/**
 * The pods of one resource of an application, for its logs panel (GET /api/v1/applications/{name}/pods) and
 * for the logs stream (pod-logs.ts). Which objects are the app's is never taken from the request: the resource
 * must be a node of the app's resource tree (not an orphaned one), and its live object must still belong to the
 * app, by uid or through live owner references up to one of the app's own resources. Nothing in the cluster is
 * read for a resource outside the tree, and pods come only from the live owner chain of that resource.
 */
import { isKubeError } from '@/lib/adapters/k8s';
import { formatResourceKey, groupOf, type KubeObject } from '@/lib/domain/gitops';
import { matchLabelsSelector, newestFirst, podSummary } from '@/lib/domain/gitops/pod-logs/pod-summary';
import { AppError } from '@/lib/errors';
import { POD_LOG_KIND_GROUP, type TPodList, type TPodLogKind } from '@/lib/schemas/pod-logs';
import type { Principal } from '../principal';
import { clusterTargetFor } from './app-target';
import { appObject, loadAppFor } from './applications/app-access';
import type { ClusterPods, PodLogDeps } from './pod-ports';
import type { AppRow } from './ports';

export interface AppResourceRef {
  namespace?: string;
  kind: TPodLogKind;
  group?: string;
  resourceName: string;
}

export interface AppPods {
  app: AppRow;
  /** Open: the caller closes it. */
  cluster: ClusterPods;
  resource: { kind: TPodLogKind; namespace: string; name: string };
  /** Newest first. */
  pods: KubeObject[];
}

/** How far up live owner references are followed (Pod → ReplicaSet → Deployment → a custom owner). */
const MAX_OWNER_DEPTH = 4;

const apiVersionOf = (kind: TPodLogKind) => (POD_LOG_KIND_GROUP[kind] ? `${POD_LOG_KIND_GROUP[kind]}/v1` : 'v1');
const keyOfLive = (obj: KubeObject) =>
  formatResourceKey({
    group: groupOf(obj.apiVersion),
    kind: obj.kind,
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name ?? '',
  });
const owns = (owners: ReadonlySet<string>) => (obj: KubeObject) =>
  (obj.metadata.ownerReferences ?? []).some((r) => r.uid !== undefined && owners.has(r.uid));

/** A 404 that says which resource is not the app's, without saying whether it exists. */
function notInApp(appName: string, kind: string, namespace: string, name: string): AppError {
  return new AppError('NOT_FOUND', `${kind} ${namespace}/${name} is not part of "${appName}".`, {
    hint: `See the app's resources with \`keelson app get ${appName}\` (or GET /api/v1/applications/${appName}/tree).`,
  });
}

/** Failures to reach or read the cluster: a 503 with the API server's message, never a 500. */
export function clusterTrouble(err: unknown, clusterName: string): unknown {
  if (!isKubeError(err)) return err;
  return new AppError('UNAVAILABLE', `The cluster "${clusterName}" could not be read: ${err.message}`, {
    hint: 'Check that the cluster is reachable (keelson cluster list) and try again.',
  });
}

/** True when following live owner references (uids checked) from `obj` reaches one of the app's own resources. */
async function ownedByApp(
  cluster: ClusterPods,
  obj: KubeObject,
  appKeys: ReadonlySet<string>,
  depth = 0,
): Promise<boolean> {
  if (appKeys.has(keyOfLive(obj))) return true;
  if (depth >= MAX_OWNER_DEPTH) return false;
  for (const ref of obj.metadata.ownerReferences ?? []) {
    if (!ref.uid) continue;
    const key = { apiVersion: ref.apiVersion, kind: ref.kind, namespace: obj.metadata.namespace, name: ref.name };
    const owner = await cluster.get(key);
    if (owner?.metadata.uid === ref.uid && (await ownedByApp(cluster, owner, appKeys, depth + 1))) return true;
  }
  return false;
}

/** The pods a workload owns now (a Deployment through its ReplicaSets), newest first. */
async function podsOf(cluster: ClusterPods, workload: KubeObject, kind: TPodLogKind): Promise<KubeObject[]> {
  if (kind === 'Pod') return [workload];
  const namespace = workload.metadata.namespace ?? '';
  const labelSelector = matchLabelsSelector(workload);
  const owners = new Set([workload.metadata.uid ?? '']);
  if (kind === 'Deployment') {
    const sets = await cluster.list({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace, labelSelector });
    for (const rs of sets.filter(owns(owners))) if (rs.metadata.uid) owners.add(rs.metadata.uid);
  }
  const pods = await cluster.list({ apiVersion: 'v1', kind: 'Pod', namespace, labelSelector });
  return pods.filter(owns(owners)).sort(newestFirst);
}

/**
 * Authorizes (`applications, get` and `logs, get` on `<project>/<app>`), checks that the resource is the app's
 * (404 otherwise) and lists its live pods. The caller closes `cluster`.
 */
export async function openAppPods(
  deps: PodLogDeps,
  principal: Principal,
  appName: string,
  ref: AppResourceRef,
): Promise<AppPods> {
  const app = await loadAppFor(deps, principal, appName, 'get');
  await deps.access.authorize(principal, 'logs', 'get', appObject(app));
  const namespace = ref.namespace ?? app.destNamespace;
  const { kind, resourceName: name } = ref;
  const key = formatResourceKey({ group: POD_LOG_KIND_GROUP[kind], kind, namespace, name });
  const nodes = app.tree.filter((n) => !n.orphaned);
  const node = nodes.find((n) => n.key === key);
  if (!node?.uid) throw notInApp(appName, kind, namespace, name);
  const appKeys = new Set([
    ...nodes.filter((n) => n.parents.length === 0).map((n) => n.key),
    ...app.resources.map((r) => formatResourceKey(r)),
  ]);

  const target = await clusterTargetFor(deps, deps.box, app.clusterName);
  if (!target)
    throw new AppError('CONFLICT', `The cluster "${app.clusterName}" of "${appName}" is not registered.`, {
      hint: 'Register it again with `keelson cluster add`.',
    });
  let cluster: ClusterPods;
  try {
    cluster = await deps.podClusters.connect(target.credentials);
  } catch (err) {
    throw clusterTrouble(err, app.clusterName);
  }
  try {
    const live = await cluster.get({ apiVersion: apiVersionOf(kind), kind, namespace, name });
    const belongs = live && (live.metadata.uid === node.uid || (await ownedByApp(cluster, live, appKeys)));
    if (!live || !belongs) throw notInApp(appName, kind, namespace, name);
    return { app, cluster, resource: { kind, namespace, name }, pods: await podsOf(cluster, live, kind) };
  } catch (err) {
    cluster.close();
    throw clusterTrouble(err, app.clusterName);
  }
}

/** GET …/pods: the resource's pods with their containers' states, newest first. */
export async function listAppPods(
  deps: PodLogDeps,
  principal: Principal,
  appName: string,
  ref: AppResourceRef,
): Promise<TPodList> {
  const { cluster, pods } = await openAppPods(deps, principal, appName, ref);
  cluster.close();
  return { items: pods.map(podSummary) };
}
