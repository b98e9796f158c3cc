import { eq, sql } from 'drizzle-orm';
import { applications } from '@/lib/adapters/db/schema';
import type { Deps } from '../../deps';
import { notifyController } from '../notify-controller';
import { noSuchApplication } from './load-application';

/**
 * Asks the controller to compare again now. `hard` also re-renders from Git without the manifest
 * cache; a pending hard refresh is never downgraded by a normal one.
 */
export async function requestRefresh(
  deps: Deps,
  name: string,
  hard: boolean,
): Promise<{ name: string; refresh: 'normal' | 'hard' }> {
  const level = hard
    ? sql`'hard'`
    : sql`case when ${applications.refreshRequested} = 'hard' then 'hard' else 'normal' end`;
  const [row] = await deps.db
    .update(applications)
    .set({ refreshRequested: level, nextReconcileAt: deps.now() })
    .where(eq(applications.name, name))
    .returning({ refresh: applications.refreshRequested });
  if (!row) throw noSuchApplication(name);
  await notifyController(deps, name);
  return { name, refresh: row.refresh === 'hard' ? 'hard' : 'normal' };
}
