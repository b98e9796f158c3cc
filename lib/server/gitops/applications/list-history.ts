import type { THistoryEntry } from '@/lib/schemas/applications';
import type { Deps } from '../../deps';
import { historyOf } from './get-application';
import { loadApplication } from './load-application';

/** Deployment history, newest first (rollback ids). */
export async function listHistory(deps: Pick<Deps, 'db'>, name: string): Promise<{ items: THistoryEntry[] }> {
  const app = await loadApplication(deps, name);
  return { items: await historyOf(deps, app.id) };
}
