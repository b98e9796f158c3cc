import { eq } from 'drizzle-orm';
import { applications } from '@/lib/adapters/db/schema';
import { formatResourceKey } from '@/lib/domain/gitops';
import type { TAppDiff } from '@/lib/schemas/applications';
import type { Deps } from '../../deps';
import { noSuchApplication } from './load-application';

/** Every resource with its sync status and unified diff, from the last comparison (`keelson app diff`). */
export async function getAppDiff(deps: Pick<Deps, 'db'>, name: string): Promise<TAppDiff> {
  const [row] = await deps.db
    .select({ resources: applications.resources, diffs: applications.diffs, revision: applications.revision })
    .from(applications)
    .where(eq(applications.name, name));
  if (!row) throw noSuchApplication(name);
  const items = row.resources
    .filter((r) => !r.hook)
    .map((r) => {
      const key = formatResourceKey(r);
      return { ...r, key, diff: row.diffs[key]?.diff ?? '' };
    });
  return { name, revision: row.revision ?? undefined, hasDiff: items.some((i) => i.status === 'OutOfSync'), items };
}
