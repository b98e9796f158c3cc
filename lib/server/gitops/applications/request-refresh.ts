import type { Principal } from '../../principal';
import type { GitopsDeps } from '../ports';
import { loadAppFor } from './app-access';
import { noSuchApplication } from './load-application';

/**
 * Asks the controller to compare again now. `hard` also re-renders from Git without the manifest
 * cache; a pending hard refresh is never downgraded by a normal one.
 */
export async function requestRefresh(
  deps: GitopsDeps,
  principal: Principal,
  name: string,
  hard: boolean,
): Promise<{ name: string; refresh: 'normal' | 'hard' }> {
  // Argo CD: refreshing is a read (`applications get`).
  await loadAppFor(deps, principal, name, 'get');
  // The request and the controller's wake-up commit together.
  const refresh = await deps.gitops.transaction(async (tx) => {
    const level = await tx.apps.requestRefreshByName(name, hard, deps.now());
    if (level === undefined) throw noSuchApplication(name);
    await tx.notify(name);
    return level;
  });
  return { name, refresh: refresh === 'hard' ? 'hard' : 'normal' };
}
