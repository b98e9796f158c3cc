import type { TResourceTree } from '@/lib/schemas/applications';
import type { Principal } from '../../principal';
import type { GitopsDeps } from '../ports';
import { loadAppFor } from './app-access';

/**
 * The tree the controller last built: the app's resources and their owned children, and (when the app's project
 * monitors them) the namespace's orphaned resources apart, as Argo CD's orphanedNodes.
 */
export async function getResourceTree(
  deps: Pick<GitopsDeps, 'gitops' | 'access'>,
  principal: Principal,
  name: string,
): Promise<TResourceTree> {
  const row = await loadAppFor(deps, principal, name, 'get');
  const orphanedNodes = row.tree.filter((n) => n.orphaned);
  if (orphanedNodes.length === 0) return { nodes: row.tree };
  return { nodes: row.tree.filter((n) => !n.orphaned), orphanedNodes };
}
