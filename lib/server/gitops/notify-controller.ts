import { sql } from 'drizzle-orm';
import type { Deps } from '../deps';

/** Postgres channel the gitops controller LISTENs on; the payload is an application name. */
export const CONTROLLER_CHANNEL = 'keelson_apps';

/**
 * Wakes the controller for one app at once (refresh asked, operation queued, deletion asked). The
 * controller also scans the table on a timer, so a lost notification only delays the work.
 */
export async function notifyController(deps: Deps, appName: string): Promise<void> {
  await deps.db.execute(sql`select pg_notify(${CONTROLLER_CHANNEL}, ${appName})`);
}
