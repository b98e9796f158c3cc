/** One page of the applications list (Drizzle): narrow columns, total and facet counts. */
import { and, asc, count, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import type { AppKeyRow, AppPage, AppSummaryRow } from '@/lib/server/gitops/ports';
import type { TListApplicationsQuery } from '@/lib/schemas/applications';
import type { DbOrTx } from './client';
import { applications } from './schema';

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

const searchOf = (search: string | undefined) =>
  search?.trim() ? ilike(applications.name, likePattern(search.trim())) : undefined;

/** The candidate rows of an authorized list: keys and the filtered columns only (the name index orders them). */
export async function applicationKeys(db: DbOrTx, search: string | undefined): Promise<AppKeyRow[]> {
  return db
    .select({
      id: applications.id,
      name: applications.name,
      project: applications.project,
      health: applications.healthStatus,
      sync: applications.syncStatus,
      cluster: applications.clusterName,
      namespace: applications.destNamespace,
    })
    .from(applications)
    .where(searchOf(search))
    .orderBy(asc(applications.name));
}

/** The list rows of one page of ids, by name. */
export async function applicationSummaries(db: DbOrTx, ids: readonly string[]): Promise<AppSummaryRow[]> {
  if (ids.length === 0) return [];
  return db
    .select(summaryColumns)
    .from(applications)
    .where(inArray(applications.id, [...ids]))
    .orderBy(asc(applications.name));
}

/**
 * The filters and the order follow the (status, name) and (cluster, namespace, name) indexes; the facets
 * count the apps matching the search only, so filter chips show what each choice would give.
 */
export async function applicationPage(db: DbOrTx, q: TListApplicationsQuery): Promise<AppPage> {
  const search = searchOf(q.search);
  const filters: (SQL | undefined)[] = [
    search,
    q.health ? eq(applications.healthStatus, q.health) : undefined,
    q.sync ? eq(applications.syncStatus, q.sync) : undefined,
    q.cluster ? eq(applications.clusterName, q.cluster) : undefined,
    q.namespace !== undefined ? eq(applications.destNamespace, q.namespace) : undefined,
  ];
  const where = and(...filters);
  const [rows, [{ total }], health, sync] = await Promise.all([
    db
      .select(summaryColumns)
      .from(applications)
      .where(where)
      .orderBy(asc(applications.name))
      .limit(q.limit)
      .offset(q.offset),
    db.select({ total: count() }).from(applications).where(where),
    db
      .select({ key: applications.healthStatus, n: count() })
      .from(applications)
      .where(search)
      .groupBy(applications.healthStatus),
    db
      .select({ key: applications.syncStatus, n: count() })
      .from(applications)
      .where(search)
      .groupBy(applications.syncStatus),
  ]);
  return { rows, total, health, sync };
}
