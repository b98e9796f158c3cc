import type { Principal } from '../principal';
import type { GitopsDeps } from './ports';

/** The registered repositories the principal may `get` (Argo CD: `repositories, get, <repo URL>`). */
export async function listRepositories(deps: Pick<GitopsDeps, 'gitops' | 'access'>, principal: Principal) {
  const rows = await deps.gitops.repositories.list();
  const permitted = await deps.access.filter(principal, 'repositories', 'get', rows, (r) => r.url);
  return permitted.map((r) => ({
    id: r.id,
    url: r.url,
    hasCredentials: r.sealedCredentials !== null,
    createdAt: r.createdAt.toISOString(),
  }));
}
