import type { Principal } from '../principal';
import type { GitopsDeps } from './ports';

/** The registered clusters the principal may `get` (Argo CD: `clusters, get, <server URL>`). */
export async function listClusters(deps: Pick<GitopsDeps, 'gitops' | 'access'>, principal: Principal) {
  const rows = await deps.gitops.clusters.listByName();
  const permitted = await deps.access.filter(principal, 'clusters', 'get', rows, (r) => r.server);
  return permitted.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}
