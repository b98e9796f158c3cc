import { formatResourceKey } from '@/lib/domain/gitops';
import type { TAppDiff } from '@/lib/schemas/applications';
import type { Principal } from '../../principal';
import type { GitopsDeps } from '../ports';
import { loadAppFor } from './app-access';

/** Every resource with its sync status and unified diff, from the last comparison (`keelson app diff`). */
export async function getAppDiff(
  deps: Pick<GitopsDeps, 'gitops' | 'access'>,
  principal: Principal,
  name: string,
): Promise<TAppDiff> {
  const row = await loadAppFor(deps, principal, name, 'get');
  const items = row.resources
    .filter((r) => !r.hook)
    .map((r) => {
      const key = formatResourceKey(r);
      return { ...r, key, diff: row.diffs[key]?.diff ?? '' };
    });
  return { name, revision: row.revision ?? undefined, hasDiff: items.some((i) => i.status === 'OutOfSync'), items };
}
