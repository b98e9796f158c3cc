/**
 * The gitops stores on one database (Drizzle), and their unit of work: `transaction` opens one database
 * transaction and hands out the same stores bound to it, with the audit log and the controller's NOTIFY on it.
 */
import { sql } from 'drizzle-orm';
import type { GitopsRecords, GitopsStores } from '@/lib/server/gitops/ports';
import { CONTROLLER_CHANNEL } from '@/lib/server/gitops/notify-controller';
import { createAppHistoryStore } from './app-history-store';
import { createAppOperationStore } from './app-operation-store';
import { createApplicationStore } from './application-store';
import { createAuditTrail } from './audit-trail';
import type { Db, DbOrTx } from './client';
import { createClusterStore } from './cluster-store';
import { createRepositoryStore } from './repository-store';
import { createWebhookSecretStore } from './webhook-secret-store';

function records(db: DbOrTx): GitopsRecords {
  return {
    apps: createApplicationStore(db),
    operations: createAppOperationStore(db),
    history: createAppHistoryStore(db),
    clusters: createClusterStore(db),
    repositories: createRepositoryStore(db),
    webhookSecrets: createWebhookSecretStore(db),
  };
}

export function createGitopsStores(db: Db, now: () => Date): GitopsStores {
  return {
    ...records(db),
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          ...records(tx),
          audit: createAuditTrail(tx, now),
          notify: async (appName) => void (await tx.execute(sql`select pg_notify(${CONTROLLER_CHANNEL}, ${appName})`)),
        }),
      ),
  };
}
