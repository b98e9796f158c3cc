import { and, asc, inArray, isNotNull, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { pipelineRunFolder, taskRunFolder } from '@/lib/domain/pipeline/run-folders';
import type { ExpiredRun, RetentionStore } from '@/lib/server/system/ports';
import type { DbOrTx } from './client';
import { logChunks, pipelineRuns, taskRuns } from './schema';

const uuids = (ids: readonly string[]) => sql`${sql.param([...ids])}::uuid[]`;

/** Runs by id with their child runs (Pipelines in Pipelines), each row naming the top-level run it belongs to. */
const runTree = (ids: readonly string[]) => sql`
  with recursive tree(id, root) as (
    select id, id from pipeline_runs where id = any(${uuids(ids)})
    union all
    select c.id, tree.root from pipeline_runs c join tree on c.parent_run_id = tree.id
  )`;

export function createRetentionStore(db: DbOrTx): RetentionStore {
  return {
    async finishedWithLogs(cutoff, limit) {
      const rows = await db
        .select({ id: taskRuns.id })
        .from(taskRuns)
        .where(and(isNull(taskRuns.logsRemovedAt), isNotNull(taskRuns.completedAt), lt(taskRuns.completedAt, cutoff)))
        .orderBy(asc(taskRuns.completedAt))
        .limit(limit);
      return rows.map((r) => r.id);
    },

    async deleteLogChunks(taskRunIds, limit) {
      if (taskRunIds.length === 0) return 0;
      const result = await db.execute(sql`
        delete from ${logChunks} where id in (
          select id from ${logChunks} where task_run_id = any(${uuids(taskRunIds)}) limit ${limit})`);
      return result.rowCount ?? 0;
    },

    async markLogsRemoved(taskRunIds, at) {
      if (taskRunIds.length === 0) return;
      await db
        .update(taskRuns)
        .set({ logsRemovedAt: at })
        .where(inArray(taskRuns.id, [...taskRunIds]));
    },

    async expiredRuns({ keep, finishedBefore }, limit) {
      if (keep === undefined && finishedBefore === undefined) return [];
      const past: SQL[] = [];
      if (keep !== undefined) past.push(sql`r.rank > ${keep}`);
      if (finishedBefore) past.push(sql`r.completed_at < ${finishedBefore.toISOString()}::timestamptz`);
      // Not while any run of its tree (child PipelineRuns, their TaskRuns, grandchildren) is still unfinished.
      const runs = await db.execute<{ id: string }>(sql`
        with recursive candidates as (
          select r.id, r.completed_at from (
            select id, completed_at,
              row_number() over (partition by project, pipeline_name order by created_at desc) as rank
            from pipeline_runs where parent_run_id is null and completed_at is not null
          ) r
          where (${sql.join(past, sql` or `)})
        ), tree(id, root) as (
          select id, id from candidates
          union all
          select c.id, tree.root from pipeline_runs c join tree on c.parent_run_id = tree.id
        )
        select r.id from candidates r
        where not exists (
            select 1 from tree join pipeline_runs c on c.id = tree.id
            where tree.root = r.id and c.completed_at is null)
          and not exists (
            select 1 from tree join task_runs t on t.pipeline_run_id = tree.id
            where tree.root = r.id and t.completed_at is null)
        order by r.completed_at
        limit ${limit}`);
      const ids = runs.rows.map((r) => r.id);
      const found = new Map<string, ExpiredRun>(ids.map((id) => [id, { id, folderNames: [] }]));
      if (ids.length > 0) {
        const names = await db.execute<{ root: string; name: string; kind: 'p' | 't' }>(sql`${runTree(ids)}
          select tree.root, r.name, 'p' as kind from tree join pipeline_runs r on r.id = tree.id
          union all
          select tree.root, t.name, 't' from tree join task_runs t on t.pipeline_run_id = tree.id`);
        for (const n of names.rows)
          found.get(n.root)?.folderNames.push(n.kind === 'p' ? pipelineRunFolder(n.name) : taskRunFolder(n.name));
      }
      if (finishedBefore && ids.length < limit) {
        const standalone = await db
          .select({ id: taskRuns.id, name: taskRuns.name })
          .from(taskRuns)
          .where(
            and(
              isNull(taskRuns.pipelineRunId),
              isNotNull(taskRuns.completedAt),
              lt(taskRuns.completedAt, finishedBefore),
            ),
          )
          .orderBy(asc(taskRuns.completedAt))
          .limit(limit - ids.length);
        for (const t of standalone) found.set(t.id, { id: t.id, folderNames: [taskRunFolder(t.name)] });
      }
      return [...found.values()];
    },

    async taskRunIdsOf(runIds) {
      if (runIds.length === 0) return [];
      const rows = await db.execute<{ id: string }>(sql`${runTree(runIds)}
        select t.id from tree join task_runs t on t.pipeline_run_id = tree.id
        union all
        select id from task_runs where id = any(${uuids(runIds)}) and pipeline_run_id is null`);
      return rows.rows.map((r) => r.id);
    },

    async deleteRuns(runIds) {
      if (runIds.length === 0) return 0;
      const ids = [...runIds];
      const runs = await db
        .delete(pipelineRuns)
        .where(inArray(pipelineRuns.id, ids))
        .returning({ id: pipelineRuns.id });
      const standalone = await db
        .delete(taskRuns)
        .where(and(inArray(taskRuns.id, ids), isNull(taskRuns.pipelineRunId)))
        .returning({ id: taskRuns.id });
      return runs.length + standalone.length;
    },
  };
}
