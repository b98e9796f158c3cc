/** PipelineRun rows (Drizzle); implements the pipeline PipelineRunStore port. */
import { and, desc, eq, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { PipelineRunReason } from '@/lib/domain/pipeline/reasons';
import type { PipelineRunStore } from '@/lib/server/pipeline/ports';
import type { DbOrTx } from './client';
import { pipelineRuns } from './schema';

const CANCELLED_REASONS = [
  'Cancelled',
  'CancelledRunFinally',
  'StoppedRunFinally',
  'CancelledRunningFinally',
  'StoppedRunningFinally',
];

function statusFilter(status: string): SQL | undefined {
  // A queued run (concurrency group) has not started: it is listed under Queued, not Running.
  if (status === 'Running')
    return and(eq(pipelineRuns.conditionStatus, 'Unknown'), ne(pipelineRuns.conditionReason, PipelineRunReason.Queued));
  if (status === 'Succeeded') return eq(pipelineRuns.conditionStatus, 'True');
  if (status === 'Failed')
    return and(
      eq(pipelineRuns.conditionStatus, 'False'),
      inArray(pipelineRuns.conditionReason, [
        'Failed',
        'PipelineRunTimeout',
        'TaskRunTimeout',
        PipelineRunReason.ReconcileFailed,
      ]),
    );
  if (status === 'Cancelled')
    return and(eq(pipelineRuns.conditionStatus, 'False'), inArray(pipelineRuns.conditionReason, CANCELLED_REASONS));
  return eq(pipelineRuns.conditionReason, status);
}

/**
 * The advisory lock keys of a concurrency group (`<project>/<pipeline>/<key>`): the two-int4 form, hash of its project
 * then of the whole id, so a group of another project cannot share a lock with one of this project by picking a key
 * whose 32-bit hash collides (the two-key form is also apart from the one-bigint locks of other tables).
 */
const groupLockKeys = (group: SQL | string) => sql`hashtext(split_part(${group}, '/', 1)), hashtext(${group})`;

export function createPipelineRunStore(db: DbOrTx): PipelineRunStore {
  const lockGroup = async (group: string) => {
    await db.execute(sql`select pg_advisory_xact_lock(${groupLockKeys(group)})`);
  };
  return {
    async findByName(name) {
      const [row] = await db.select().from(pipelineRuns).where(eq(pipelineRuns.name, name));
      return row;
    },

    async findById(id) {
      const [row] = await db.select().from(pipelineRuns).where(eq(pipelineRuns.id, id));
      return row;
    },

    async lockForReconcile(id) {
      // One statement: the select list (its group's advisory lock, for an unfinished run of a group) is evaluated
      // by the scan below the row lock (LockRows does not project), so the group's lock is taken before the row's,
      // as every writer of a group's rows takes them; a run of no group costs no extra query.
      const [row] = await db
        .select({
          run: pipelineRuns,
          locked: sql<unknown>`case
            when ${pipelineRuns.concurrencyGroup} is not null and ${pipelineRuns.completedAt} is null
            then pg_advisory_xact_lock(${groupLockKeys(sql`${pipelineRuns.concurrencyGroup}`)}) end`,
        })
        .from(pipelineRuns)
        .where(eq(pipelineRuns.id, id))
        .for('update');
      return row && !row.run.completedAt ? row.run : undefined;
    },

    async insert(run) {
      const [row] = await db
        .insert(pipelineRuns)
        .values(run)
        .returning({ id: pipelineRuns.id, name: pipelineRuns.name });
      return row;
    },

    async saveSpec(id, spec) {
      await db.update(pipelineRuns).set({ spec }).where(eq(pipelineRuns.id, id));
    },

    async saveReconciled(id, fields) {
      await db.update(pipelineRuns).set(fields).where(eq(pipelineRuns.id, id));
    },

    lockGroup,

    async lockGroupsOf(ids) {
      if (ids.length === 0) return [];
      // Always in the same order (by the lock's keys, then name): two transactions that lock the same groups
      // cannot each hold one the other waits for.
      const rows = await db.execute<{ group: string }>(sql`
        select concurrency_group as "group"
          from pipeline_runs
          where id in (${sql.join(
            ids.map((id) => sql`${id}::uuid`),
            sql`, `,
          )}) and concurrency_group is not null and completed_at is null
          group by concurrency_group
          order by ${groupLockKeys(sql.raw('concurrency_group'))}, "group"`);
      const groups = rows.rows.map((r) => r.group);
      for (const group of groups) await lockGroup(group);
      return groups;
    },

    async numberJoined(group) {
      // Only unfinished runs are compared: numbering restarts from 1 when none of them has a place.
      await db.execute(sql`
        update pipeline_runs r set concurrency_seq = n.place from (
          select id, coalesce(
              (select max(concurrency_seq) from pipeline_runs
                where concurrency_group = ${group} and completed_at is null), 0)
            + row_number() over (order by created_at, name) as place
            from pipeline_runs
            where concurrency_group = ${group} and completed_at is null and concurrency_seq is null
        ) n where r.id = n.id`);
    },

    async openInGroup(group) {
      return db
        .select({
          id: pipelineRuns.id,
          name: pipelineRuns.name,
          createdAt: pipelineRuns.createdAt,
          createdBy: pipelineRuns.createdBy,
          startedAt: pipelineRuns.startedAt,
          concurrencySeq: pipelineRuns.concurrencySeq,
          concurrencyLimit: pipelineRuns.concurrencyLimit,
          concurrencyStrategy: pipelineRuns.concurrencyStrategy,
          specStatus: sql<string | null>`${pipelineRuns.spec}->'run'->>'status'`,
          message: sql<string | null>`${pipelineRuns.status}->'conditions'->0->>'message'`,
        })
        .from(pipelineRuns)
        .where(and(eq(pipelineRuns.concurrencyGroup, group), isNull(pipelineRuns.completedAt)));
    },

    async admit(id, fields) {
      await db.update(pipelineRuns).set(fields).where(eq(pipelineRuns.id, id));
    },

    async cancelForGroup(id, message) {
      await db
        .update(pipelineRuns)
        .set({
          spec: sql`jsonb_set(jsonb_set(${pipelineRuns.spec}, '{run,status}', '"Cancelled"'), '{concurrencyCancel}', to_jsonb(${message}::text))`,
        })
        .where(eq(pipelineRuns.id, id));
    },

    async delete(id) {
      await db.delete(pipelineRuns).where(eq(pipelineRuns.id, id));
    },

    async keys(f) {
      return db
        .select({
          id: pipelineRuns.id,
          name: pipelineRuns.name,
          project: pipelineRuns.project,
          parentRunId: pipelineRuns.parentRunId,
        })
        .from(pipelineRuns)
        .where(
          and(
            f.pipeline ? eq(pipelineRuns.pipelineName, f.pipeline) : undefined,
            f.status ? statusFilter(f.status) : undefined,
          ),
        )
        .orderBy(desc(pipelineRuns.createdAt));
    },

    async listRows(names) {
      if (names.length === 0) return [];
      return db
        .select({
          name: pipelineRuns.name,
          project: pipelineRuns.project,
          pipeline: pipelineRuns.pipelineName,
          status: pipelineRuns.conditionStatus,
          reason: pipelineRuns.conditionReason,
          message: sql<string | null>`${pipelineRuns.status}->'conditions'->0->>'message'`,
          parentRun: sql<string | null>`${pipelineRuns.spec}->'childOf'->>'runName'`,
          createdAt: pipelineRuns.createdAt,
          startedAt: pipelineRuns.startedAt,
          completedAt: pipelineRuns.completedAt,
        })
        .from(pipelineRuns)
        .where(inArray(pipelineRuns.name, [...names]))
        .orderBy(desc(pipelineRuns.createdAt));
    },

    async childrenOf(parentRunId) {
      return db
        .select()
        .from(pipelineRuns)
        .where(eq(pipelineRuns.parentRunId, parentRunId))
        .orderBy(pipelineRuns.createdAt);
    },

    async rootNames(ids) {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return new Map();
      // Up the parent links to the run that has none (nesting is at most a few levels deep).
      const rows = await db.execute<{ start: string; name: string }>(sql`
        with recursive up (start, id, parent, name) as (
          select id, id, parent_run_id, name from pipeline_runs
            where id in (${sql.join(
              unique.map((id) => sql`${id}::uuid`),
              sql`, `,
            )})
          union all
          select up.start, p.id, p.parent_run_id, p.name from pipeline_runs p join up on p.id = up.parent
        )
        select start, name from up where parent is null`);
      return new Map(rows.rows.map((r) => [r.start, r.name]));
    },

    async treeSize(runId) {
      // Up the parent links to the top-level run, then down every child link from it.
      const rows = await db.execute<{ n: number }>(sql`
        with recursive up (id, parent) as (
          select id, parent_run_id from pipeline_runs where id = ${runId}::uuid
          union all
          select p.id, p.parent_run_id from pipeline_runs p join up on p.id = up.parent
        ),
        down (id) as (
          select id from up where parent is null
          union all
          select c.id from pipeline_runs c join down on c.parent_run_id = down.id
        )
        select count(*)::int as n from down`);
      return rows.rows[0]?.n ?? 0;
    },

    async linkToParent(id, parentRunId, parentTask) {
      await db.update(pipelineRuns).set({ parentRunId, parentTask }).where(eq(pipelineRuns.id, id));
    },

    async existingNames(names) {
      if (names.length === 0) return [];
      const rows = await db
        .select({ name: pipelineRuns.name })
        .from(pipelineRuns)
        .where(inArray(pipelineRuns.name, [...names]));
      return rows.map((r) => r.name);
    },
  };
}
