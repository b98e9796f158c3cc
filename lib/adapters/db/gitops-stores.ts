/**
 * The gitops stores on one database (Drizzle), and their unit of work: `transaction` opens one database
 * transaction and hands out the same stores bound to it, with the audit log and the controller's NOTIFY on it.
 */
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { GitopsRecords, GitopsStores } from '@/lib/server/gitops/ports';
import { CONTROLLER_CHANNEL } from '@/lib/server/gitops/notify-controller';
import { createAppOperationStore } from './app-operation-store';
import { createApplicationStore } from './application-store';
import { createRepositoryCredentialStore } from './repository-credential-store';
import type { Db, DbOrTx } from './client';
import { appHistory, auditLog, clusters } from './schema';

function records(db: DbOrTx): GitopsRecords {
  return {
    apps: createApplicationStore(db),
    operations: createAppOperationStore(db),
    history: {
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
    },
    clusters: {
      list: () => db.select({ name: clusters.name, server: clusters.server }).from(clusters),
      async find(name) {
        const [row] = await db.select().from(clusters).where(eq(clusters.name, name));
        return row;
      },
    },
    repositories: createRepositoryCredentialStore(db),
  };
}

export function createGitopsStores(db: Db, now: () => Date): GitopsStores {
  return {
    ...records(db),
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          ...records(tx),
          audit: { record: async (entry) => void (await tx.insert(auditLog).values({ ...entry, at: now() })) },
          notify: async (appName) => void (await tx.execute(sql`select pg_notify(${CONTROLLER_CHANNEL}, ${appName})`)),
        }),
      ),
  };
}
