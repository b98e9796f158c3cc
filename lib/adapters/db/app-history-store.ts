/** The apps' deployment history (Drizzle); implements the gitops HistoryStore port. */
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { HistoryStore } from '@/lib/server/gitops/ports';
import type { DbOrTx } from './client';
import { appHistory } from './schema';

export function createAppHistoryStore(db: DbOrTx): HistoryStore {
  return {
    ofApp: (appId) => db.select().from(appHistory).where(eq(appHistory.appId, appId)).orderBy(desc(appHistory.id)),
    async append(entry, keep) {
      // Serialises history writers of one app (ids grow by one).
      await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`app-history:${entry.appId}`}))`);
      const [last] = await db
        .select({ id: appHistory.id })
        .from(appHistory)
        .where(eq(appHistory.appId, entry.appId))
        .orderBy(desc(appHistory.id))
        .limit(1);
      const id = (last?.id ?? -1) + 1;
      await db.insert(appHistory).values({ ...entry, id });
      await db.delete(appHistory).where(and(eq(appHistory.appId, entry.appId), lt(appHistory.id, id - keep + 1)));
    },
  };
}
