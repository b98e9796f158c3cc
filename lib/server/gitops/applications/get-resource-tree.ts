import type { TResourceTree } from '@/lib/schemas/applications';
import type { Principal } from '../../principal';
import type { GitopsDeps } from '../ports';
import { loadAppFor } from './app-access';

/** The tree the controller last built: the app's resources and their owned children. */
export async function getResourceTree(
  deps: Pick<GitopsDeps, 'gitops' | 'access'>,
  principal: Principal,
  name: string,
): Promise<TResourceTree> {
  const row = await loadAppFor(deps, principal, name, 'get');
  return { nodes: row.tree };
}
