/** The apps' deployment history (Drizzle); implements the gitops HistoryStore port. */
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { HistoryStore } from '@/lib/server/gitops/ports';
import type { DbOrTx } from './client';
import { appHistory } from './schema';

export function createAppHistoryStore(db: DbOrTx): HistoryStore {
  return {
    ofApp: (appId) => db.select().from(appHistory).where(eq(appHistory.appId, appId)).orderBy(desc(appHistory.id)),
    async append(entry, keep) {
      // Two statements, no transaction: the next id is computed in the insert itself, and a concurrent writer of the
      // same app (none today: only the operation's lease holder appends) makes it take the next one.
      for (let attempt = 0; ; attempt++) {
        const [row] = await db
          .insert(appHistory)
          .values({
            ...entry,
            id: sql`(select coalesce(max(${appHistory.id}), -1) + 1 from ${appHistory} where ${appHistory.appId} = ${entry.appId})`,
          })
          .onConflictDoNothing()
          .returning({ id: appHistory.id });
        if (row) {
          // Ids start at 0: nothing to trim before the app has more entries than it keeps.
          if (row.id < keep) return;
          await db
            .delete(appHistory)
            .where(and(eq(appHistory.appId, entry.appId), lt(appHistory.id, row.id - keep + 1)));
          return;
        }
        if (attempt >= 5) throw new Error(`history of app ${entry.appId}: no free id after ${attempt + 1} attempts`);
      }
    },
  };
}
