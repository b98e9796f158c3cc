/** The controller's writes to `applications` (Drizzle); implements the gitops ApplicationStore port. */
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from './client';
import { applications } from './schema';

export function createApplicationStore(db: DbOrTx) {
  return {
    async saveStatus(appId: string, patch: Partial<typeof applications.$inferInsert>): Promise<void> {
      await db.update(applications).set(patch).where(eq(applications.id, appId));
    },
    async requestRefresh(appId: string): Promise<void> {
      await db
        .update(applications)
        .set({ refreshRequested: sql`coalesce(${applications.refreshRequested}, 'normal')` })
        .where(eq(applications.id, appId));
    },
  };
}
