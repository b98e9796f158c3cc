import { repositories } from '@/lib/adapters/db/schema';
import type { Deps } from '../deps';

export async function listRepositories(deps: Deps) {
  const rows = await deps.db.select().from(repositories).orderBy(repositories.url);
  return rows.map((r) => ({
    id: r.id,
    url: r.url,
    hasCredentials: r.sealedCredentials !== null,
    createdAt: r.createdAt.toISOString(),
  }));
}
