/**
 * The pods of one resource of an application, for its logs panel (GET /api/v1/applications/{name}/pods) and
 * for the logs stream (pod-logs.ts). Which objects are the app's is never taken from the request: the resource
 * must be a node of the app's resource tree (not an orphaned one) in a place the app's project permits, and its
 * live object must belong to the app now: the first object up its live owner chain (uids checked) that carries a
 * tracking annotation must be tracked by this app (a desired key naming another app's object, or an object no
 * sync of this app has applied yet, is not enough). Nothing in the cluster is read for a resource outside the
 * tree or the project, and pods come only from the live owner chain of that resource.
 */
import { isKubeError } from '@/lib/adapters/k8s';
import { formatResourceKey, trackedBy, type KubeObject } from '@/lib/domain/gitops';
import { matchLabelsSelector, newestFirst, podSummary } from '@/lib/domain/gitops/pod-logs/pod-summary';
import { AppError } from '@/lib/errors';
import { POD_LOG_KIND_GROUP, type TPodList, type TPodLogKind } from '@/lib/schemas/pod-logs';
import type { Principal } from '../principal';
import { clusterTargetFor } from './app-target';
import { appObject, loadAppFor } from './applications/app-access';
import { appLiveScope, refOfLive, type LiveScope } from './live-scope';
import type { ClusterPods, PodLogDeps } from './pod-ports';
import type { AppRow } from './ports';

/** What finding an app's pods reads: the app and its project, the cluster's credentials, the cluster. */
export type AppPodsDeps = Pick<PodLogDeps, 'gitops' | 'access' | 'box' | 'podClusters'>;

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

/** How many owners the walk up live owner references reads at most (Pod → ReplicaSet → Deployment takes 2). */
const MAX_OWNER_LOOKUPS = 16;

const apiVersionOf = (kind: TPodLogKind) => (POD_LOG_KIND_GROUP[kind] ? `${POD_LOG_KIND_GROUP[kind]}/v1` : 'v1');
const keyOfLive = (obj: KubeObject) => formatResourceKey(refOfLive(obj));
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

/**
 * The first object carrying a tracking annotation (of its own identity) on the live owner chain of `obj`, itself
 * included: owner references are followed only when the owner's uid matches, each owner read once, at most
 * MAX_OWNER_LOOKUPS reads. Undefined when the chain ends (or the cap is reached) without one.
 */
async function trackedAncestor(cluster: ClusterPods, obj: KubeObject): Promise<KubeObject | undefined> {
  const seen = new Set<string>();
  let lookups = 0;
  const walk = async (o: KubeObject): Promise<KubeObject | undefined> => {
    if (trackedBy(o) !== undefined) return o;
    for (const ref of o.metadata.ownerReferences ?? []) {
      if (!ref.uid || seen.has(ref.uid) || lookups >= MAX_OWNER_LOOKUPS) continue;
      seen.add(ref.uid);
      lookups++;
      const key = { apiVersion: ref.apiVersion, kind: ref.kind, namespace: o.metadata.namespace, name: ref.name };
      const owner = await cluster.get(key);
      const found = owner?.metadata.uid === ref.uid ? await walk(owner) : undefined;
      if (found) return found;
    }
    return undefined;
  };
  if (obj.metadata.uid) seen.add(obj.metadata.uid);
  return walk(obj);
}

/**
 * True when `live` is the app's: the first tracked object up its owner chain is tracked by this app, is one of the
 * app's resources, and both it and `live` are in places the app's project permits.
 */
async function belongsToApp(
  cluster: ClusterPods,
  live: KubeObject,
  app: AppRow,
  appKeys: ReadonlySet<string>,
  permitted: LiveScope,
): Promise<boolean> {
  if (!permitted(refOfLive(live))) return false;
  const tracked = await trackedAncestor(cluster, live);
  if (!tracked || trackedBy(tracked) !== app.name) return false;
  return appKeys.has(keyOfLive(tracked)) && permitted(refOfLive(tracked));
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
  deps: AppPodsDeps,
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
  const permitted = await appLiveScope(deps, app);
  if (!permitted({ group: POD_LOG_KIND_GROUP[kind], kind, namespace, name }))
    throw notInApp(appName, kind, namespace, name);
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
    const belongs = live && (await belongsToApp(cluster, live, app, appKeys, permitted));
    if (!live || !belongs) throw notInApp(appName, kind, namespace, name);
    return { app, cluster, resource: { kind, namespace, name }, pods: await podsOf(cluster, live, kind) };
  } catch (err) {
    cluster.close();
    throw clusterTrouble(err, app.clusterName);
  }
}

/** GET …/pods: the resource's pods with their containers' states, newest first. */
export async function listAppPods(
  deps: AppPodsDeps,
  principal: Principal,
  appName: string,
  ref: AppResourceRef,
): Promise<TPodList> {
  const { cluster, pods } = await openAppPods(deps, principal, appName, ref);
  cluster.close();
  return { items: pods.map(podSummary) };
}
