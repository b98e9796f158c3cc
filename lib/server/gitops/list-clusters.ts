import type { GitopsDeps } from './ports';

export async function listClusters(deps: Pick<GitopsDeps, 'gitops'>) {
  const rows = await deps.gitops.clusters.listByName();
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}
