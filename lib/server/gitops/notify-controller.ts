import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/adapters/db/client';

/** Postgres channel the gitops controller LISTENs on; the payload is an application name. */
export const CONTROLLER_CHANNEL = 'keelson_apps';

/**
 * Wakes the controller for one app at once (refresh asked, operation queued, deletion asked). The
 * controller also scans the table on a timer, so a lost notification only delays the work.
 * NOTIFY is transactional: sent inside a transaction, it is delivered when (and only if) it commits.
 */
export async function notifyController(deps: { db: DbOrTx }, appName: string): Promise<void> {
  await deps.db.execute(sql`select pg_notify(${CONTROLLER_CHANNEL}, ${appName})`);
}
