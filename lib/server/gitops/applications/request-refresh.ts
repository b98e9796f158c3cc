import type { Principal } from '../../principal';
import { auditEntry } from '../audit-entry';
import type { GitopsDeps } from '../ports';
import { loadAppFor } from './app-access';
import { noSuchApplication } from './load-application';

/**
 * Asks the controller to compare again now. `hard` also re-renders from Git without the manifest
 * cache; a pending hard refresh is never downgraded by a normal one. The request leaves an audit row in its
 * transaction (a Git webhook's refreshes go through handle-git-push.ts and leave none).
 */
export async function requestRefresh(
  deps: GitopsDeps,
  principal: Principal,
  name: string,
  hard: boolean,
): Promise<{ name: string; refresh: 'normal' | 'hard' }> {
  // Argo CD: refreshing is a read (`applications get`).
  await loadAppFor(deps, principal, name, 'get');
  // The request, its audit row and the controller's wake-up commit together.
  const refresh = await deps.gitops.transaction(async (tx) => {
    const level = await tx.apps.requestRefreshByName(name, hard, deps.now());
    if (level === undefined) throw noSuchApplication(name);
    const type = hard ? 'hard' : 'normal';
    await tx.audit.record(auditEntry(principal, 'application.refresh', `application/${name}`, { type }));
    await tx.notify(name);
    return level;
  });
  return { name, refresh: refresh === 'hard' ? 'hard' : 'normal' };
}
