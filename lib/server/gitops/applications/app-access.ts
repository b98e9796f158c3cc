import type { Principal } from '../../principal';
import type { AppRow, GitopsDeps } from '../ports';
import { noSuchApplication } from './load-application';

/**
 * Argo CD's application actions as Keelson uses them: get (detail, tree, diff, resource, history, operation,
 * refresh), create, update, delete, sync (sync, rollback, terminate, unpin).
 */
export type AppAction = 'get' | 'create' | 'update' | 'delete' | 'sync' | 'override';

/** The policy object of an application: `<project>/<name>`. */
export const appObject = (app: { project: string; name: string }) => `${app.project}/${app.name}`;

/** 403 naming {applications, action, <project>/<name>} unless the principal may. */
export function authorizeApp(
  deps: Pick<GitopsDeps, 'access'>,
  principal: Principal,
  action: AppAction,
  app: { project: string; name: string },
): Promise<void> {
  return deps.access.authorize(principal, 'applications', action, appObject(app));
}

/**
 * A missing app: 404 only for callers who could have seen it in any project (`applications get *\/<name>`),
 * else 403, so its existence does not leak (Argo CD answers permission denied there too).
 */
export async function missingApp(deps: Pick<GitopsDeps, 'access'>, principal: Principal, name: string) {
  await deps.access.authorize(principal, 'applications', 'get', `*/${name}`);
  return noSuchApplication(name);
}

/** The whole row of an app the principal may `action` on; 403 otherwise (see missingApp for a missing one). */
export async function loadAppFor(
  deps: Pick<GitopsDeps, 'gitops' | 'access'>,
  principal: Principal,
  name: string,
  action: AppAction = 'get',
): Promise<AppRow> {
  const row = await deps.gitops.apps.findByName(name);
  if (!row) throw await missingApp(deps, principal, name);
  await authorizeApp(deps, principal, action, row);
  return row;
}
