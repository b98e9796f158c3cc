import type {
  TApplicationList,
  TApplicationSummary,
  TListApplicationsQuery,
  TOperationPhase,
} from '@/lib/schemas/applications';
import type { GitopsDeps } from '../ports';
import { effectivePhase } from './to-operation-state';

function countsBy(rows: { key: string; n: number }[]): Record<string, number> {
  return Object.fromEntries(rows.map((r) => [r.key, r.n]));
}

/**
 * One page of applications by name, with the total and facet counts. The filters and the order
 * follow the (status, name) and (cluster, namespace, name) indexes; the facets count the apps
 * matching the search only, so filter chips show what each choice would give.
 */
export async function listApplications(
  deps: Pick<GitopsDeps, 'gitops'>,
  q: TListApplicationsQuery,
): Promise<TApplicationList> {
  const { rows, total, health, sync } = await deps.gitops.apps.page(q);
  const phases = await latestOperationPhases(
    deps,
    rows.map((r) => r.id),
  );
  const items: TApplicationSummary[] = rows.map(({ id, ...r }) => ({
    ...r,
    sync: r.sync,
    health: r.health,
    healthMessage: r.healthMessage ?? undefined,
    revision: r.revision ?? undefined,
    pinned: r.pinned ?? undefined,
    operationPhase: phases.get(id),
    lastSyncedAt: r.lastSyncedAt?.toISOString(),
    reconciledAt: r.reconciledAt?.toISOString(),
  }));
  return { items, total, limit: q.limit, offset: q.offset, facets: { health: countsBy(health), sync: countsBy(sync) } };
}

/** Phase of each app's newest operation, for the page's apps only. */
async function latestOperationPhases(
  deps: Pick<GitopsDeps, 'gitops'>,
  appIds: string[],
): Promise<Map<string, TOperationPhase>> {
  const rows = await deps.gitops.operations.latestPhases(appIds);
  return new Map(rows.map((r) => [r.appId, effectivePhase(r)]));
}
