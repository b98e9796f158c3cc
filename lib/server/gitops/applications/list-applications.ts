import type {
  TApplicationList,
  TApplicationSummary,
  TListApplicationsQuery,
  TOperationPhase,
} from '@/lib/schemas/applications';
import type { Principal } from '../../principal';
import type { AppKeyRow, GitopsDeps } from '../ports';
import { appObject } from './app-access';
import { windowStateOf } from './get-application';
import { effectivePhase } from './to-operation-state';

function countBy(rows: readonly AppKeyRow[], key: 'health' | 'sync'): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r[key]] = (counts[r[key]] ?? 0) + 1;
  return counts;
}

const matches = (q: TListApplicationsQuery) => (r: AppKeyRow) =>
  (!q.health || r.health === q.health) &&
  (!q.sync || r.sync === q.sync) &&
  (!q.cluster || r.cluster === q.cluster) &&
  (q.namespace === undefined || r.namespace === q.namespace);

/**
 * One page of the applications the principal may `get`, by name, with the total and facet counts of that
 * permitted set (Argo CD filters its whole list the same way). The candidates' keys are read (name search
 * applied in SQL), filtered by the policy, then filtered and paged; only the page's rows are read whole.
 * The facets count the permitted apps matching the search only, so filter chips show what each choice gives.
 */
export async function listApplications(
  deps: Pick<GitopsDeps, 'gitops' | 'access' | 'now'>,
  principal: Principal,
  q: TListApplicationsQuery,
): Promise<TApplicationList> {
  const candidates = await deps.gitops.apps.listKeys(q.search);
  const permitted = await deps.access.filter(principal, 'applications', 'get', candidates, appObject);
  const matching = permitted.filter(matches(q));
  const page = matching.slice(q.offset, q.offset + q.limit).map((r) => r.id);
  const rows = await deps.gitops.apps.summaries(page);
  const phases = await latestOperationPhases(deps, page);
  const items: TApplicationSummary[] = await Promise.all(
    rows.map(async ({ id, ...r }) => ({
      ...r,
      sync: r.sync,
      health: r.health,
      healthMessage: r.healthMessage ?? undefined,
      revision: r.revision ?? undefined,
      pinned: r.pinned ?? undefined,
      operationPhase: phases.get(id),
      lastSyncedAt: r.lastSyncedAt?.toISOString(),
      reconciledAt: r.reconciledAt?.toISOString(),
      syncWindow: await windowStateOf(deps, {
        name: r.name,
        project: r.project,
        clusterName: r.cluster,
        destNamespace: r.namespace,
      }),
    })),
  );
  const facets = { health: countBy(permitted, 'health'), sync: countBy(permitted, 'sync') };
  return { items, total: matching.length, limit: q.limit, offset: q.offset, facets };
}

/** Phase of each app's newest operation, for the page's apps only. */
async function latestOperationPhases(
  deps: Pick<GitopsDeps, 'gitops'>,
  appIds: string[],
): Promise<Map<string, TOperationPhase>> {
  const rows = await deps.gitops.operations.latestPhases(appIds);
  return new Map(rows.map((r) => [r.appId, effectivePhase(r)]));
}
