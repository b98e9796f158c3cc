/** The `applications` rows (Drizzle); implements the gitops ApplicationStore port. */
import { and, eq, getTableColumns, gt, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { ApplicationStore, AppRow } from '@/lib/server/gitops/ports';
import { REPO_MATCH_KEY_SQL_PATTERN } from '@/lib/server/webhooks/match-push';
import { applicationKeys, applicationPage, applicationSummaries } from './application-page';
import type { DbOrTx } from './client';
import { applications } from './schema';

/** Keeps a refresh already asked for (a hard one stays hard), else asks a normal one. */
const keepOrNormalRefresh = sql`coalesce(${applications.refreshRequested}, 'normal')`;

/** Every column but the stored comparison (resources, diffs, tree): the large ones, which the controller only writes. */
const { resources: _resources, diffs: _diffs, tree: _tree, ...CONTROLLED_COLUMNS } = getTableColumns(applications);

export function createApplicationStore(db: DbOrTx): ApplicationStore {
  return {
    async saveStatus(appId, { refreshRequested, nextReconcileAt, ...patch }) {
      if (refreshRequested !== null && typeof refreshRequested === 'object' && 'ask' in refreshRequested) {
        // A refresh asked unless one is pending: that one keeps its level and its time.
        await db
          .update(applications)
          .set({
            ...patch,
            refreshRequested: sql`coalesce(${applications.refreshRequested}, ${refreshRequested.ask})`,
            nextReconcileAt: sql`case when ${applications.refreshRequested} is null then ${refreshRequested.askedAt.toISOString()}::timestamptz else ${applications.nextReconcileAt} end`,
          })
          .where(eq(applications.id, appId));
        return;
      }
      const clearIf =
        refreshRequested !== null && typeof refreshRequested === 'object' && 'clearIf' in refreshRequested
          ? refreshRequested.clearIf
          : undefined;
      // The request the compare answered is still the one there (level and time: a request sets nextReconcileAt).
      const answered =
        clearIf &&
        sql`${applications.refreshRequested} = ${clearIf.level} and date_trunc('milliseconds', ${applications.nextReconcileAt}) = ${clearIf.askedAt.toISOString()}::timestamptz`;
      const refresh = answered
        ? sql`case when ${answered} then null else ${applications.refreshRequested} end`
        : (refreshRequested as AppRow['refreshRequested'] | undefined);
      // A request still pending after this write (asked while the compare ran) keeps its time: its refresh accepts
      // the fetches made since it was asked for (fetchAgeMs), however many compares ran in between.
      const stillPending = answered
        ? sql`${applications.refreshRequested} is not null and not (${answered})`
        : sql`${applications.refreshRequested} is not null`;
      const next =
        nextReconcileAt === undefined || (refresh !== undefined && !answered)
          ? nextReconcileAt
          : sql`case when ${stillPending} then least(${applications.nextReconcileAt}, ${nextReconcileAt.toISOString()}::timestamptz) else ${nextReconcileAt.toISOString()}::timestamptz end`;
      await db
        .update(applications)
        .set({
          ...patch,
          ...(refresh === undefined ? {} : { refreshRequested: refresh }),
          ...(next === undefined ? {} : { nextReconcileAt: next }),
        })
        .where(eq(applications.id, appId));
    },
    async requestRefresh(appId) {
      // Dated like every request (nextReconcileAt, by the database's clock): its refresh accepts fetches made since.
      await db
        .update(applications)
        .set({
          refreshRequested: keepOrNormalRefresh,
          nextReconcileAt: sql`least(${applications.nextReconcileAt}, now())`,
        })
        .where(eq(applications.id, appId));
    },
    async findByName(name) {
      const [row] = await db.select().from(applications).where(eq(applications.name, name));
      return row;
    },
    async findControlled(name) {
      const [row] = await db.select(CONTROLLED_COLUMNS).from(applications).where(eq(applications.name, name));
      return row;
    },
    async lockByName(name) {
      const [row] = await db.select().from(applications).where(eq(applications.name, name)).for('update');
      return row;
    },
    async insertIfAbsent(cols, createdBy, now) {
      const inserted = await db
        .insert(applications)
        .values({
          ...cols,
          createdBy,
          createdAt: now,
          updatedAt: now,
          refreshRequested: 'normal',
          nextReconcileAt: now,
        })
        .onConflictDoNothing({ target: applications.name })
        .returning({ id: applications.id });
      return inserted.length === 1;
    },
    async replaceSpec(cols, now) {
      const updated = await db
        .update(applications)
        .set({
          ...cols,
          generation: sql`case when ${applications.spec} = ${JSON.stringify(cols.spec)}::jsonb then ${applications.generation} else ${applications.generation} + 1 end`,
          refreshRequested: keepOrNormalRefresh,
          nextReconcileAt: now,
          updatedAt: now,
        })
        .where(eq(applications.name, cols.name))
        .returning({ id: applications.id });
      return updated.length === 1;
    },
    async deleteByName(name) {
      const gone = await db.delete(applications).where(eq(applications.name, name)).returning({ id: applications.id });
      return gone.length > 0;
    },
    async setDeletion(appId, deletion, now) {
      await db.update(applications).set({ deletion, updatedAt: now }).where(eq(applications.id, appId));
    },
    async requestRefreshByName(name, hard, now) {
      const level = hard
        ? sql`'hard'`
        : sql`case when ${applications.refreshRequested} = 'hard' then 'hard' else 'normal' end`;
      const [row] = await db
        .update(applications)
        .set({ refreshRequested: level, nextReconcileAt: now })
        .where(eq(applications.name, name))
        .returning({ refresh: applications.refreshRequested });
      return row?.refresh;
    },
    async pin(appId, pinned, now) {
      await db.update(applications).set({ pinned, updatedAt: now }).where(eq(applications.id, appId));
    },
    async unpin(name, now) {
      const [row] = await db
        .update(applications)
        .set({ pinned: null, refreshRequested: keepOrNormalRefresh, nextReconcileAt: now, updatedAt: now })
        .where(eq(applications.name, name))
        .returning({ id: applications.id });
      return row !== undefined;
    },
    page: (q) => applicationPage(db, q),
    listKeys: (search) => applicationKeys(db, search),
    summaries: (ids) => applicationSummaries(db, ids),
    async dueForRefresh(now, limit, after) {
      const due = await db
        .select({ name: applications.name })
        .from(applications)
        .where(
          and(
            after === undefined ? undefined : gt(applications.name, after),
            or(
              isNotNull(applications.refreshRequested),
              isNotNull(applications.deletion),
              lt(applications.nextReconcileAt, now),
              sql`${applications.reconciledGeneration} is distinct from ${applications.generation}`,
            ),
          ),
        )
        .orderBy(applications.name)
        .limit(limit);
      return due.map((d) => d.name);
    },
    async deleteById(appId) {
      await db.delete(applications).where(eq(applications.id, appId));
    },
    followingRepos: (keys) =>
      db
        .select({ name: applications.name, targetRevision: applications.targetRevision })
        .from(applications)
        .where(
          and(
            inArray(sql`regexp_replace(lower(${applications.normalizedRepoUrl}), ${REPO_MATCH_KEY_SQL_PATTERN}, '')`, [
              ...keys,
            ]),
            isNull(applications.deletion),
          ),
        ),
    async requestRefreshOf(names, now) {
      await db
        .update(applications)
        .set({ refreshRequested: keepOrNormalRefresh, nextReconcileAt: now })
        .where(inArray(applications.name, [...names]));
    },
  };
}
