import type { TResourceTree } from '@/lib/schemas/applications';
import type { GitopsDeps } from '../ports';
import { loadApplication } from './load-application';

/** The tree the controller last built: the app's resources and their owned children. */
export async function getResourceTree(deps: Pick<GitopsDeps, 'gitops'>, name: string): Promise<TResourceTree> {
  const row = await loadApplication(deps, name);
  return { nodes: row.tree };
}
