import { and, desc, eq, isNull } from 'drizzle-orm';
import type { ApiTokenStore } from '@/lib/server/auth/ports';
import type { DbOrTx } from './client';
import { apiTokens, users } from './schema';

export function createApiTokenStore(db: DbOrTx): ApiTokenStore {
  return {
    async findByHash(tokenHash) {
      const [row] = await db
        .select({ token: apiTokens, user: users })
        .from(apiTokens)
        .innerJoin(users, eq(users.id, apiTokens.userId))
        .where(eq(apiTokens.tokenHash, tokenHash));
      return row;
    },
    async touchLastUsed(id, at) {
      await db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id));
    },
    async insert(token) {
      const [row] = await db.insert(apiTokens).values(token).returning();
      return row;
    },
    activeOf: (userId) =>
      db
        .select()
        .from(apiTokens)
        .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
        .orderBy(desc(apiTokens.createdAt)),
    async revoke(id, userId, at) {
      const revoked = await db
        .update(apiTokens)
        .set({ revokedAt: at })
        .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
        .returning({ id: apiTokens.id });
      return revoked.length > 0;
    },
  };
}
