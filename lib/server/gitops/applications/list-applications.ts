import { and, asc, count, desc, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import { appOperations, applications } from '@/lib/adapters/db/schema';
import type {
  TApplicationList,
  TApplicationSummary,
  TListApplicationsQuery,
  TOperationPhase,
} from '@/lib/schemas/applications';
import type { Deps } from '../../deps';
import { effectivePhase } from './to-operation-state';

/** `%`, `_` and `\` are literal in a name search. */
const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Only the narrow columns a list row needs: never spec, resources, diffs or tree. */
const summaryColumns = {
  id: applications.id,
  name: applications.name,
  project: applications.project,
  repoURL: applications.repoUrl,
  path: applications.path,
  targetRevision: applications.targetRevision,
  cluster: applications.clusterName,
  namespace: applications.destNamespace,
  sync: applications.syncStatus,
  health: applications.healthStatus,
  healthMessage: applications.healthMessage,
  revision: applications.revision,
  automated: applications.automated,
  pinned: applications.pinned,
  lastSyncedAt: applications.lastSyncedAt,
  reconciledAt: applications.reconciledAt,
  conditions: sql<number>`jsonb_array_length(${applications.conditions})`.mapWith(Number),
};

function countsBy(rows: { key: string; n: number }[]): Record<string, number> {
  return Object.fromEntries(rows.map((r) => [r.key, r.n]));
}

/**
 * One page of applications by name, with the total and facet counts. The filters and the order
 * follow the (status, name) and (cluster, namespace, name) indexes; the facets count the apps
 * matching the search only, so filter chips show what each choice would give.
 */
export async function listApplications(deps: Pick<Deps, 'db'>, q: TListApplicationsQuery): Promise<TApplicationList> {
  const search = q.search?.trim() ? ilike(applications.name, likePattern(q.search.trim())) : undefined;
  const filters: (SQL | undefined)[] = [
    search,
    q.health ? eq(applications.healthStatus, q.health) : undefined,
    q.sync ? eq(applications.syncStatus, q.sync) : undefined,
    q.cluster ? eq(applications.clusterName, q.cluster) : undefined,
    q.namespace !== undefined ? eq(applications.destNamespace, q.namespace) : undefined,
  ];
  const where = and(...filters);
  const [rows, [{ total }], health, sync] = await Promise.all([
    deps.db
      .select(summaryColumns)
      .from(applications)
      .where(where)
      .orderBy(asc(applications.name))
      .limit(q.limit)
      .offset(q.offset),
    deps.db.select({ total: count() }).from(applications).where(where),
    deps.db
      .select({ key: applications.healthStatus, n: count() })
      .from(applications)
      .where(search)
      .groupBy(applications.healthStatus),
    deps.db
      .select({ key: applications.syncStatus, n: count() })
      .from(applications)
      .where(search)
      .groupBy(applications.syncStatus),
  ]);
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

/** Phase of each app's newest operation, for the page's apps only (the (app_id, started_at) index). */
async function latestOperationPhases(deps: Pick<Deps, 'db'>, appIds: string[]): Promise<Map<string, TOperationPhase>> {
  if (appIds.length === 0) return new Map();
  const rows = await deps.db
    .selectDistinctOn([appOperations.appId], {
      appId: appOperations.appId,
      phase: appOperations.phase,
      terminateRequested: appOperations.terminateRequested,
      finishedAt: appOperations.finishedAt,
    })
    .from(appOperations)
    .where(inArray(appOperations.appId, appIds))
    .orderBy(appOperations.appId, desc(appOperations.startedAt));
  return new Map(rows.map((r) => [r.appId, effectivePhase(r)]));
}
