/**
 * The gitops stores on one database (Drizzle), and their unit of work: `transaction` opens one database
 * transaction and hands out the same stores bound to it, with the audit log and the controller's NOTIFY on it.
 */
import { desc, eq, sql } from 'drizzle-orm';
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
