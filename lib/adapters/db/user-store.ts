import { and, asc, count, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { UserStore } from '@/lib/server/auth/ports';
import type { DbOrTx } from './client';
import { firstRow } from './first-row';
import { accounts, apiTokens, users } from './schema';

export function createUserStore(db: DbOrTx): UserStore {
  return {
    findByUsername: (username) => firstRow(db.select().from(users).where(eq(users.username, username))),
    async localUsernames(among) {
      if (among.length === 0) return [];
      const rows = await db
        .select({ username: users.username })
        .from(users)
        .where(and(eq(users.source, 'local'), inArray(users.username, [...among])));
      return rows.map((r) => r.username);
    },
    async usernameOf(id) {
      const [user] = await db.select({ username: users.username }).from(users).where(eq(users.id, id));
      return user?.username;
    },
    insertIfAbsent: (user) => firstRow(db.insert(users).values(user).onConflictDoNothing().returning()),
    async insert(user) {
      const [created] = await db.insert(users).values(user).returning();
      return created;
    },
    async recordLogin(id, at) {
      await db.update(users).set({ lastLoginAt: at }).where(eq(users.id, id));
    },
    async setPasswordHash(id, passwordHash) {
      await db.update(users).set({ passwordHash }).where(eq(users.id, id));
    },
    async findByAccount(provider, subject) {
      const linked = await firstRow(
        db
          .select({ user: users })
          .from(accounts)
          .innerJoin(users, eq(users.id, accounts.userId))
          .where(and(eq(accounts.provider, provider), eq(accounts.providerAccountId, subject))),
      );
      return linked?.user;
    },
    async linkAccount(userId, provider, subject) {
      await db.insert(accounts).values({ userId, provider, providerAccountId: subject });
    },
    async updateProfile(id, profile) {
      const [user] = await db.update(users).set(profile).where(eq(users.id, id)).returning();
      return user;
    },
    async withTokenCounts(username) {
      // The user's own tokens only: project tokens act as a project role, not as the user who issued them.
      const live = and(eq(apiTokens.userId, users.id), isNull(apiTokens.revokedAt), isNull(apiTokens.project));
      const rows = await db
        .select({ user: users, tokenCount: count(apiTokens.id) })
        .from(users)
        .leftJoin(apiTokens, live)
        .where(username === undefined ? undefined : eq(users.username, username))
        .groupBy(users.id)
        .orderBy(asc(users.username));
      return rows;
    },
    async handOverProjectTokens(fromUserId, toUserId) {
      const moved = await db
        .update(apiTokens)
        .set({ userId: toUserId })
        .where(and(eq(apiTokens.userId, fromUserId), isNotNull(apiTokens.project), isNull(apiTokens.revokedAt)))
        .returning({ id: apiTokens.id });
      return moved.length;
    },
    async remove(id) {
      const gone = await db.delete(users).where(eq(users.id, id)).returning({ id: users.id });
      return gone.length > 0;
    },
  };
}
