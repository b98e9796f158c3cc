import { and, asc, desc, eq, isNull, notInArray, type SQL } from 'drizzle-orm';
import type { ProjectToken, ProjectTokenStore } from '@/lib/server/access/ports';
import type { ApiTokenStore } from '@/lib/server/auth/ports';
import type { DbOrTx } from './client';
import { apiTokens, users, type ApiTokenRow } from './schema';

/** A user's own tokens: project tokens act as a project role, not as the user who issued them. */
const ownToken = isNull(apiTokens.project);

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
        .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt), ownToken))
        .orderBy(desc(apiTokens.createdAt)),
    async revoke(id, userId, at) {
      const revoked = await db
        .update(apiTokens)
        .set({ revokedAt: at })
        .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt), ownToken))
        .returning({ id: apiTokens.id });
      return revoked.length > 0;
    },
  };
}

function toProjectToken(row: ApiTokenRow): ProjectToken {
  return {
    id: row.id,
    project: row.project ?? '',
    role: row.role ?? '',
    issuedBy: row.userId,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
}

/** Project tokens: api_tokens rows with project and role set. */
export function createProjectTokenStore(db: DbOrTx): ProjectTokenStore {
  const live = (project: string, ...more: SQL[]) =>
    and(eq(apiTokens.project, project), isNull(apiTokens.revokedAt), ...more);
  return {
    async insert(token) {
      const [row] = await db.insert(apiTokens).values(token).returning();
      return toProjectToken(row);
    },
    list: async (project, role) =>
      (
        await db
          .select()
          .from(apiTokens)
          .where(live(project, ...(role === undefined ? [] : [eq(apiTokens.role, role)])))
          .orderBy(asc(apiTokens.createdAt))
      ).map(toProjectToken),
    async revoke(project, role, id, at) {
      const gone = await db
        .update(apiTokens)
        .set({ revokedAt: at })
        .where(live(project, eq(apiTokens.role, role), eq(apiTokens.id, id)))
        .returning({ id: apiTokens.id });
      return gone.length > 0;
    },
    async revokeOutside(project, roles, at) {
      const gone = await db
        .update(apiTokens)
        .set({ revokedAt: at })
        .where(live(project, ...(roles.length > 0 ? [notInArray(apiTokens.role, [...roles])] : [])))
        .returning({ id: apiTokens.id });
      return gone.length;
    },
  };
}
