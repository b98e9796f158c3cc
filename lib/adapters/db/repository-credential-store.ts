/** The registered repositories' sealed credentials (Drizzle), for the git resolvers of both engines. */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from './client';
import { repositories } from './schema';

export function createRepositoryCredentialStore(db: DbOrTx) {
  return {
    async sealedCredentials(normalizedUrl: string): Promise<string | null> {
      const [repo] = await db
        .select({ sealed: repositories.sealedCredentials })
        .from(repositories)
        .where(eq(repositories.normalizedUrl, normalizedUrl));
      return repo?.sealed ?? null;
    },
  };
}
