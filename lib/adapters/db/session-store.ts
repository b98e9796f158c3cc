import { and, eq, gt } from 'drizzle-orm';
import type { SessionStore } from '@/lib/server/auth/ports';
import type { DbOrTx } from './client';
import { sessions, users } from './schema';

export function createSessionStore(db: DbOrTx): SessionStore {
  return {
    async insert(session) {
      const [row] = await db.insert(sessions).values(session).returning();
      return row.id;
    },
    async liveUser(sessionId, now) {
      const [row] = await db
        .select({ user: users })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(eq(sessions.id, sessionId), gt(sessions.expiresAt, now)));
      return row?.user;
    },
    async delete(sessionId) {
      const [row] = await db.delete(sessions).where(eq(sessions.id, sessionId)).returning({ userId: sessions.userId });
      return row?.userId;
    },
    async deleteAllOf(userId) {
      const gone = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id });
      return gone.length;
    },
  };
}
