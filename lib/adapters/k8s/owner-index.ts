/** Children by owner uid (ownerReferences), for the resource tree: Deployment → ReplicaSet → Pod. */
import type { KubeObject } from './objects';

/** The API server always sets an owner reference's uid; a manifest may leave it out. */
const ownerUids = (obj: KubeObject): string[] =>
  (obj.metadata.ownerReferences ?? []).flatMap((ref) => (ref.uid === undefined ? [] : [ref.uid]));

export class OwnerIndex {
  readonly #byOwner = new Map<string, Set<string>>();

  set(key: string, obj: KubeObject, old: KubeObject | undefined): void {
    if (old) this.remove(key, old);
    for (const uid of ownerUids(obj)) {
      let set = this.#byOwner.get(uid);
      if (!set) this.#byOwner.set(uid, (set = new Set()));
      set.add(key);
    }
  }

  remove(key: string, obj: KubeObject): void {
    for (const uid of ownerUids(obj)) {
      const set = this.#byOwner.get(uid);
      set?.delete(key);
      if (set?.size === 0) this.#byOwner.delete(uid);
    }
  }

  children(uid: string, objects: ReadonlyMap<string, KubeObject>): KubeObject[] {
    const out: KubeObject[] = [];
    for (const key of this.#byOwner.get(uid) ?? []) {
      const obj = objects.get(key);
      if (obj) out.push(obj);
    }
    return out.sort(
      (a, b) => a.kind.localeCompare(b.kind) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
    );
  }
}

export interface ResourceNode {
  obj: KubeObject;
  children: ResourceNode[];
}

/** Walks children depth-first; a uid seen twice (a malformed owner cycle) is not expanded again. */
export function buildTree(root: KubeObject, childrenOf: (uid: string) => KubeObject[], maxDepth = 8): ResourceNode {
  const seen = new Set<string>();
  const walk = (obj: KubeObject, depth: number): ResourceNode => {
    const uid = obj.metadata.uid;
    if (!uid || seen.has(uid) || depth >= maxDepth) return { obj, children: [] };
    seen.add(uid);
    return { obj, children: childrenOf(uid).map((c) => walk(c, depth + 1)) };
  };
  return walk(root, 0);
}
