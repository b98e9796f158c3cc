import type { GitopsDeps } from './ports';

export async function listRepositories(deps: Pick<GitopsDeps, 'gitops'>) {
  const rows = await deps.gitops.repositories.list();
  return rows.map((r) => ({
    id: r.id,
    url: r.url,
    hasCredentials: r.sealedCredentials !== null,
    createdAt: r.createdAt.toISOString(),
  }));
}
