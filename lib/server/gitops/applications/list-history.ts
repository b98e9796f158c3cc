import type { THistoryEntry } from '@/lib/schemas/applications';
import type { Principal } from '../../principal';
import type { GitopsDeps } from '../ports';
import { loadAppFor } from './app-access';
import { historyOf } from './get-application';

/** Deployment history, newest first (rollback ids). */
export async function listHistory(
  deps: Pick<GitopsDeps, 'gitops' | 'access'>,
  principal: Principal,
  name: string,
): Promise<{ items: THistoryEntry[] }> {
  const app = await loadAppFor(deps, principal, name, 'get');
  return { items: await historyOf(deps, app.id) };
}
