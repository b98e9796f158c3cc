/** Waiting on an Application: what counts as done, and the polling loop. */
import type { TApplication } from '../../lib/schemas/applications';
import { request } from '../client';
import { ZApplication } from '../../lib/schemas/application-responses';
import type { Target } from '../config';

export interface WaitFor {
  health?: boolean;
  sync?: boolean;
  operation?: boolean;
}

/**
 * As `argocd app wait`: with no flag, wait for all three. A pending refresh means sync and health
 * are stale, so they count only once the controller has compared again.
 */
export function waitReached(app: TApplication, f: WaitFor): boolean {
  const all = !f.health && !f.sync && !f.operation;
  if ((all || f.sync || f.health) && app.status.refreshRequested) return false;
  if ((all || f.sync) && app.status.sync.status !== 'Synced') return false;
  if ((all || f.health) && app.status.health.status !== 'Healthy') return false;
  const op = app.status.operationState;
  if ((all || f.operation) && op && !op.finishedAt) return false;
  return true;
}

export const appPath = (name: string, rest = '') => `/api/v1/applications/${encodeURIComponent(name)}${rest}`;

/**
 * Polls the app until `done` holds (returns it) or the timeout passes (returns undefined).
 * `timeoutSeconds` 0 waits forever. `onPoll` sees every state (progress output).
 */
export async function pollApp(
  target: Target,
  name: string,
  done: (app: TApplication) => boolean,
  timeoutSeconds: number,
  onPoll?: (app: TApplication) => void,
): Promise<TApplication | undefined> {
  const deadline = timeoutSeconds > 0 ? Date.now() + timeoutSeconds * 1000 : Infinity;
  for (;;) {
    const app = await request(target, 'GET', appPath(name), ZApplication);
    onPoll?.(app);
    if (done(app)) return app;
    if (Date.now() >= deadline) return undefined;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
