/**
 * The project's orphaned resources monitoring on one compare (Argo CD's getResourceTree): when the app's project sets
 * `orphanedResources`, the untracked top-level objects of the app's destination namespace become orphaned nodes of
 * the stored tree (`orphaned: true`, served as the tree's `orphanedNodes` and the status' `orphanedResources`) and,
 * with `warn` (the default), an OrphanedResourceWarning condition. Unset, nothing is listed.
 *
 * Only the controller's watch cache is read, so only the kinds it already watches are seen: its base kinds
 * (ConfigMap, Secret, Service, ServiceAccount, PersistentVolumeClaim, Pod, Deployment, ReplicaSet, StatefulSet,
 * DaemonSet, Job, CronJob) and the kinds any app on the cluster renders. An orphan of another kind (an Ingress no app
 * on the cluster deploys) is not found; no watch is started for it.
 */
import { formatResourceKey, resourceKey, type KubeObject } from '@/lib/domain/gitops';
import {
  findOrphanedResources,
  isOrphanedWarn,
  ORPHANED_RESOURCE_WARNING,
  orphanedWarningMessage,
  type TAppProject,
} from '@/lib/domain/gitops/projects';
import type { TTreeNode } from '@/lib/schemas/applications';
import type { ControlledApp } from '../app-target';
import { nodeOf } from './build-tree';
import type { ClusterWatch } from './cluster-watch';

export interface OrphanedState {
  nodes: TTreeNode[];
  conditions: { type: string; message: string }[];
}

/** Orphaned nodes and the warning of one app, or undefined when its project does not monitor orphans. */
export function orphanedStateOf(
  project: TAppProject | undefined,
  app: Pick<ControlledApp, 'destNamespace'>,
  watch: Pick<ClusterWatch, 'cache'>,
  desired: readonly KubeObject[],
): OrphanedState | undefined {
  const settings = project?.spec.orphanedResources;
  if (!project || !settings) return undefined;
  const cache = watch.cache();
  const live = cache.list({ namespace: app.destNamespace });
  const orphaned = findOrphanedResources({
    project: project.spec,
    namespace: app.destNamespace,
    live,
    managed: new Set(desired.map(resourceKey)),
  });
  const byKey = new Map(live.map((o) => [resourceKey(o), o]));
  const nodes = orphaned.flatMap((r): TTreeNode[] => {
    const obj = byKey.get(formatResourceKey(r));
    return obj ? [{ ...nodeOf(obj, []), orphaned: true }] : [];
  });
  const warn = isOrphanedWarn(settings) && nodes.length > 0;
  return {
    nodes,
    conditions: warn ? [{ type: ORPHANED_RESOURCE_WARNING, message: orphanedWarningMessage(nodes.length) }] : [],
  };
}

/**
 * Which apps monitor orphans in which namespace of which cluster (recorded by each compare), so that a change to an
 * untracked top-level object there refreshes them, as a tracked object's change refreshes its app.
 */
export interface OrphanWatchers {
  /** Records (or, with undefined, forgets) the namespace an app monitors. */
  set(app: string, where: { cluster: string; namespace: string } | undefined): void;
  /** The apps to refresh for a change to `obj` on `cluster`: none for an owned or cluster-scoped object. */
  appsFor(cluster: string, obj: KubeObject): string[];
}

export function createOrphanWatchers(): OrphanWatchers {
  const byPlace = new Map<string, Set<string>>();
  const placeOf = new Map<string, string>();
  const placeKey = (cluster: string, namespace: string) => `${cluster}\u0000${namespace}`;
  return {
    set(app, where) {
      const next = where ? placeKey(where.cluster, where.namespace) : undefined;
      const previous = placeOf.get(app);
      if (previous === next) return;
      if (previous !== undefined) byPlace.get(previous)?.delete(app);
      if (next === undefined) {
        placeOf.delete(app);
        return;
      }
      placeOf.set(app, next);
      byPlace.set(next, (byPlace.get(next) ?? new Set()).add(app));
    },
    appsFor(cluster, obj) {
      const namespace = obj.metadata.namespace;
      if (!namespace || (obj.metadata.ownerReferences ?? []).length > 0) return [];
      return [...(byPlace.get(placeKey(cluster, namespace)) ?? [])];
    },
  };
}
