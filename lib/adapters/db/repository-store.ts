/** The registered repositories (Drizzle); implements the gitops RepositoryStore port. */
import { eq } from 'drizzle-orm';
import type { RepositoryStore } from '@/lib/server/gitops/ports';
import type { DbOrTx } from './client';
import { repositories } from './schema';

export function createRepositoryStore(db: DbOrTx): RepositoryStore {
  return {
    async sealedCredentials(normalizedUrl) {
      const [repo] = await db
        .select({ sealed: repositories.sealedCredentials })
        .from(repositories)
        .where(eq(repositories.normalizedUrl, normalizedUrl));
      return repo?.sealed ?? null;
    },
    list: () => db.select().from(repositories).orderBy(repositories.url),
    async exists(normalizedUrl) {
      const [taken] = await db
        .select({ id: repositories.id })
        .from(repositories)
        .where(eq(repositories.normalizedUrl, normalizedUrl));
      return taken !== undefined;
    },
    async insert(row) {
      const [inserted] = await db
        .insert(repositories)
        .values(row)
        .returning({ id: repositories.id, url: repositories.url });
      return inserted;
    },
    async deleteByNormalizedUrl(normalizedUrl) {
      const [gone] = await db
        .delete(repositories)
        .where(eq(repositories.normalizedUrl, normalizedUrl))
        .returning({ url: repositories.url });
      return gone?.url;
    },
  };
}
