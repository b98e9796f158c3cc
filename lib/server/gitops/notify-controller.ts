import type { GitopsDeps } from './ports';

/** Postgres channel the gitops controller LISTENs on; the payload is an application name. */
export const CONTROLLER_CHANNEL = 'keelson_apps';

/**
 * Wakes the controller for one app at once (refresh asked, operation queued, deletion asked). The
 * controller also scans the table on a timer, so a lost notification only delays the work. Use cases
 * that change an app send it in their own transaction (GitopsUnit.notify), delivered when it commits.
 */
export async function notifyController(deps: Pick<GitopsDeps, 'gitops'>, appName: string): Promise<void> {
  await deps.gitops.transaction((tx) => tx.notify(appName));
}
