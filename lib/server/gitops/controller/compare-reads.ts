/**
 * One compare reads the app's project and its cluster's row several times (the spec check, the rendered kinds, the
 * live scope, the destination): through these stores it reads each once per compare, so all the checks of one compare
 * see the same project and a thousand compares cost far fewer queries. Every compare still reads them afresh.
 */
import type { ControllerRuntime } from './runtime';

function once<T>(read: (name: string) => Promise<T>): (name: string) => Promise<T> {
  const seen = new Map<string, Promise<T>>();
  return (name) => {
    let hit = seen.get(name);
    if (!hit) {
      hit = read(name);
      seen.set(name, hit);
      // A failed read is not kept: the next check reads again.
      hit.catch(() => seen.delete(name));
    }
    return hit;
  };
}

/** The runtime for one compare (or the preparation of one sync), its project and cluster reads shared. */
export function withCompareReads(rt: ControllerRuntime): ControllerRuntime {
  const { accessStores, gitops } = rt.deps;
  return {
    ...rt,
    deps: {
      ...rt.deps,
      accessStores: {
        ...accessStores,
        projects: { ...accessStores.projects, get: once((name) => accessStores.projects.get(name)) },
      },
      gitops: { ...gitops, clusters: { ...gitops.clusters, find: once((name) => gitops.clusters.find(name)) } },
    },
  };
}
