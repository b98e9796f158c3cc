import type { Access } from '../access/ports';
import type { Principal } from '../principal';
import { objectOf } from './pipeline-access';
import type { PipelineRunStore } from './ports';

/**
 * The RBAC object of a run, as one tree: a top-level PipelineRun is `<project>/<run>`; a child PipelineRun
 * (Pipelines in Pipelines) and every TaskRun of a PipelineRun are part of their root PipelineRun and are
 * authorized as it, `<project>/<root>`. Whoever may get, cancel or delete the root may do so on what it runs;
 * the engine names those runs (`<run>-<task>`), so their own names are not asked: a child `nightly-scans` of
 * a run `nightly` must not be reachable through a pattern meant for another Pipeline's runs
 * (`<project>/nightly-scans-*`, `<project>/deploy-run-*` for a child `deploy-run-x` of a run `deploy`).
 * A standalone TaskRun is `<project>/<taskrun>`.
 */
export interface InTree {
  project: string;
  name: string;
  /** The PipelineRun the run belongs to: a child PipelineRun's parent, a TaskRun's PipelineRun; else null. */
  owner: string | null;
}

type Roots = Pick<PipelineRunStore, 'rootNames'>;

/** The object of each run (see InTree), in order, with one lookup for all of their roots. */
export async function treeObjects(runs: Roots, items: readonly InTree[]): Promise<string[]> {
  const owners = items.flatMap((i) => (i.owner ? [i.owner] : []));
  const roots = owners.length > 0 ? await runs.rootNames(owners) : new Map<string, string>();
  // An owner gone meanwhile (deleted with its tree) leaves the run its own name.
  return items.map((i) => objectOf(i.project, (i.owner && roots.get(i.owner)) || i.name));
}

/** The object of one run (see InTree). */
export async function treeObject(runs: Roots, item: InTree): Promise<string> {
  return (await treeObjects(runs, [item]))[0];
}

/** The items the principal may `get`, asked on their tree objects (see InTree); order kept. */
export async function filterGettable<T>(
  deps: { access: Access; stores: { runs: Roots } },
  principal: Principal,
  items: readonly T[],
  inTree: (item: T) => InTree,
): Promise<T[]> {
  const objects = await treeObjects(deps.stores.runs, items.map(inTree));
  const pairs = items.map((item, i) => ({ item, object: objects[i] }));
  const allowed = await deps.access.filter(principal, 'pipelineruns', 'get', pairs, (p) => p.object);
  return allowed.map((p) => p.item);
}
