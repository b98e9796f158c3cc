/** The resource tree an app page draws: the app's resources and what they own (ReplicaSets, Pods…). */
import type { ResourceNode } from '@/lib/adapters/k8s';
import { assessHealth, resourceKey, type KubeObject } from '@/lib/domain/gitops';
import type { TResourceStatus, TTreeNode } from '@/lib/schemas/applications';

function info(obj: KubeObject): string[] {
  const out: string[] = [];
  const spec = (obj.spec ?? {}) as {
    replicas?: number;
    template?: { spec?: { containers?: { image?: string }[] } };
    containers?: { image?: string }[];
  };
  const status = (obj.status ?? {}) as { phase?: string; readyReplicas?: number; podIP?: string };
  if (typeof spec.replicas === 'number') out.push(`${status.readyReplicas ?? 0}/${spec.replicas} ready`);
  if (status.phase) out.push(status.phase);
  const containers = spec.template?.spec?.containers ?? spec.containers ?? [];
  for (const c of containers) if (c.image) out.push(c.image);
  return out;
}

/** The node of one live object (its health graded here unless the comparison gave one). */
export function nodeOf(obj: KubeObject, parents: string[], resource?: TResourceStatus): TTreeNode {
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const health = resource?.health ?? assessHealth(obj);
  return {
    key: resourceKey(obj),
    uid: obj.metadata.uid,
    group,
    version,
    kind: obj.kind,
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name ?? '',
    parents,
    health: { status: health.status, ...(health.message ? { message: health.message } : {}) },
    ...(resource ? { sync: resource.status } : {}),
    ...(resource?.requiresPrune ? { requiresPrune: true } : {}),
    ...(obj.metadata.creationTimestamp ? { createdAt: obj.metadata.creationTimestamp } : {}),
    info: info(obj),
  };
}

/**
 * Nodes for every resource (live or missing) and their live descendants. `treeOf` returns the
 * owner tree of a live object (from the cluster cache); without it only the resources appear.
 */
export function buildTree(
  resources: TResourceStatus[],
  live: ReadonlyMap<string, KubeObject>,
  treeOf?: (obj: KubeObject) => ResourceNode,
): TTreeNode[] {
  const nodes = new Map<string, TTreeNode>();
  for (const r of resources) {
    const key = `${r.group}/${r.kind}/${r.namespace}/${r.name}`;
    const obj = live.get(key);
    if (!obj) {
      nodes.set(key, {
        key,
        group: r.group,
        version: r.version,
        kind: r.kind,
        namespace: r.namespace,
        name: r.name,
        parents: [],
        health: r.health,
        sync: r.status,
        ...(r.requiresPrune ? { requiresPrune: true } : {}),
      });
      continue;
    }
    nodes.set(key, nodeOf(obj, [], r));
    if (!treeOf) continue;
    const walk = (n: ResourceNode, parentKey: string) => {
      for (const child of n.children) {
        const ck = resourceKey(child.obj);
        const existing = nodes.get(ck);
        if (existing) {
          if (!existing.parents.includes(parentKey) && existing.parents.length > 0) existing.parents.push(parentKey);
          continue;
        }
        nodes.set(ck, nodeOf(child.obj, [parentKey]));
        walk(child, ck);
      }
    };
    walk(treeOf(obj), key);
  }
  return [...nodes.values()];
}
