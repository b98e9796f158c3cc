import { clusters } from '@/lib/adapters/db/schema';
import type { Deps } from '../deps';

export async function listClusters(deps: Deps) {
  const rows = await deps.db
    .select({
      id: clusters.id,
      name: clusters.name,
      server: clusters.server,
      serverVersion: clusters.serverVersion,
      createdAt: clusters.createdAt,
    })
    .from(clusters)
    .orderBy(clusters.name);
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}
