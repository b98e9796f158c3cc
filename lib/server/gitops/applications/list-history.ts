import type { THistoryEntry } from '@/lib/schemas/applications';
import type { GitopsDeps } from '../ports';
import { historyOf } from './get-application';
import { loadApplication } from './load-application';

/** Deployment history, newest first (rollback ids). */
export async function listHistory(deps: Pick<GitopsDeps, 'gitops'>, name: string): Promise<{ items: THistoryEntry[] }> {
  const app = await loadApplication(deps, name);
  return { items: await historyOf(deps, app.id) };
}
