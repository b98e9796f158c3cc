/** TaskRuns, their leases and their logs (Drizzle); implements the pipeline TaskRunStore port. */
import { and, asc, desc, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import { taskRunCondition } from '@/lib/domain/pipeline/succeeded-condition';
import { TaskRunStates } from '@/lib/domain/pipeline/task-run-states';
import { TASK_RUN_RETRY_FROM } from '@/lib/domain/pipeline/task-run-states';
import type { TStoredLogLine } from '@/lib/domain/pipeline/stored-schemas';
import type { LogLine } from '@/lib/domain/pipeline/task-run-plan';
import type { TaskRunRecords, TaskRunSelector, TaskRunStore } from '@/lib/server/pipeline/ports';
import type { TaskRunSummary } from '@/lib/server/pipeline/task-run-state';
import type { DbOrTx } from './client';
import { claimTaskRuns } from './task-run-claim';
import { logChunks, pipelineRuns, taskRuns } from './schema';

const selected = (w: TaskRunSelector) =>
  and(
    eq(taskRuns.pipelineRunId, w.pipelineRunId),
    eq(taskRuns.pipelineTask, w.task),
    w.matrixIndex === undefined ? isNull(taskRuns.matrixIndex) : eq(taskRuns.matrixIndex, w.matrixIndex),
  );

/** The TaskRun rows the use cases read and write: creation, retries, cancels, pages, logs. */
function taskRunRecords(db: DbOrTx): TaskRunRecords {
  return {
    async findByName(name) {
      const [row] = await db.select().from(taskRuns).where(eq(taskRuns.name, name));
      return row;
    },

    async ofPipelineRun(pipelineRunId) {
      return db.select().from(taskRuns).where(eq(taskRuns.pipelineRunId, pipelineRunId)).orderBy(taskRuns.createdAt);
    },

    async newest(pipelineRunId, limit, offset = 0) {
      return db
        .select()
        .from(taskRuns)
        .where(pipelineRunId ? eq(taskRuns.pipelineRunId, pipelineRunId) : undefined)
        .orderBy(desc(taskRuns.createdAt), desc(taskRuns.id))
        .limit(limit)
        .offset(offset);
    },

    async scheduleRows(pipelineRunId) {
      return db
        .select({
          name: taskRuns.name,
          pipelineTask: taskRuns.pipelineTask,
          matrixIndex: taskRuns.matrixIndex,
          state: taskRuns.state,
          results: sql<TaskRunSummary['results']>`${taskRuns.status} -> 'results'`,
          reason: sql<string | null>`${taskRuns.status} -> 'conditions' -> 0 ->> 'reason'`,
          attempt: taskRuns.attempt,
          startedAt: taskRuns.startedAt,
        })
        .from(taskRuns)
        .where(eq(taskRuns.pipelineRunId, pipelineRunId));
    },

    async insert(rows) {
      if (rows.length === 0) return [];
      const inserted = await db.insert(taskRuns).values(rows).onConflictDoNothing().returning({ id: taskRuns.id });
      return inserted.map((r) => r.id);
    },

    async statusOf(name) {
      const [old] = await db.select({ status: taskRuns.status }).from(taskRuns).where(eq(taskRuns.name, name));
      return old?.status;
    },

    async resetForRetry(r) {
      const [row] = await db
        .update(taskRuns)
        .set({
          state: r.state,
          plan: r.plan,
          attempt: r.attempt,
          status: r.status,
          startedAt: null,
          completedAt: r.completedAt,
          cancelRequested: null,
          // The next attempt is claimed afresh: its executor is chosen again, and it gets a new pod.
          executor: null,
          podNamespace: null,
        })
        .where(
          and(
            eq(taskRuns.name, r.name),
            eq(taskRuns.attempt, r.attempt - 1),
            inArray(taskRuns.state, TASK_RUN_RETRY_FROM),
          ),
        )
        .returning({ id: taskRuns.id, state: taskRuns.state });
      return row;
    },

    async cancelPending(which, status, at) {
      await db
        .update(taskRuns)
        .set({ state: 'cancelled', completedAt: at, status })
        .where(and(selected(which), eq(taskRuns.state, 'pending')));
    },

    async requestCancel(which, message) {
      await db
        .update(taskRuns)
        .set({ cancelRequested: message })
        .where(and(selected(which), inArray(taskRuns.state, ['running'])));
    },

    async logChunks(taskRunId, afterId, limit) {
      return db
        .select({ id: logChunks.id, step: logChunks.step, lines: logChunks.lines })
        .from(logChunks)
        .where(and(eq(logChunks.taskRunId, taskRunId), gt(logChunks.id, afterId)))
        .orderBy(asc(logChunks.id))
        .limit(limit);
    },

    async named(names) {
      if (names.length === 0) return [];
      return db
        .select({ name: taskRuns.name, pipelineRunId: taskRuns.pipelineRunId, completedAt: taskRuns.completedAt })
        .from(taskRuns)
        .where(inArray(taskRuns.name, [...names]));
    },
  };
}

export function createTaskRunStore(db: DbOrTx, now: () => Date): TaskRunStore {
  return {
    ...taskRunRecords(db),
    claim: (ids, owner, leaseMs, route) => claimTaskRuns(db, now(), ids, owner, leaseMs, route),

    async recordPod(id, owner, pod) {
      await db
        .update(taskRuns)
        .set({
          podNamespace: pod.namespace,
          status: sql`${taskRuns.status} || ${JSON.stringify({ podName: pod.name })}::jsonb`,
        })
        .where(and(eq(taskRuns.id, id), eq(taskRuns.leaseOwner, owner), eq(taskRuns.state, 'running')));
    },

    async renewLease(id, owner, leaseMs) {
      const [row] = await db
        .update(taskRuns)
        .set({ leaseExpiresAt: new Date(now().getTime() + leaseMs) })
        .where(and(eq(taskRuns.id, id), eq(taskRuns.leaseOwner, owner), eq(taskRuns.state, 'running')))
        .returning({ cancelRequested: taskRuns.cancelRequested });
      return { held: Boolean(row), cancelRequested: row?.cancelRequested ?? null };
    },

    async complete(id, owner, done) {
      const [row] = await db
        .update(taskRuns)
        .set({ state: done.state, status: done.status, completedAt: now(), leaseOwner: null, leaseExpiresAt: null })
        .where(
          and(
            eq(taskRuns.id, id),
            eq(taskRuns.leaseOwner, owner),
            inArray(taskRuns.state, TaskRunStates.predecessors(done.state)),
          ),
        )
        .returning({
          id: taskRuns.id,
          name: taskRuns.name,
          pipelineRunId: taskRuns.pipelineRunId,
          state: taskRuns.state,
        });
      return row;
    },

    async reapExpired() {
      const at = now();
      const state = 'failed' as const;
      return db
        .update(taskRuns)
        .set({
          state,
          completedAt: at,
          leaseOwner: null,
          leaseExpiresAt: null,
          status: sql`${taskRuns.status} || ${JSON.stringify({
            conditions: [
              taskRunCondition(
                state,
                'TaskRunLeaseExpired',
                'The worker running this TaskRun stopped responding; its lease expired.',
                at,
              ),
            ],
            completionTime: at.toISOString(),
          })}::jsonb`,
        })
        .where(and(eq(taskRuns.state, 'running'), lt(taskRuns.leaseExpiresAt, at)))
        .returning();
    },

    async pendingCreatedBefore(before) {
      const rows = await db
        .select({ id: taskRuns.id })
        .from(taskRuns)
        .where(and(eq(taskRuns.state, 'pending'), lt(taskRuns.createdAt, before)));
      return rows.map((r) => r.id);
    },

    async openRunsCreatedBefore(before) {
      const rows = await db
        .select({ id: pipelineRuns.id })
        .from(pipelineRuns)
        .where(and(isNull(pipelineRuns.completedAt), lt(pipelineRuns.createdAt, before)));
      return rows.map((r) => r.id);
    },

    async appendLogs(taskRunId: string, lines: LogLine[]) {
      if (lines.length === 0) return;
      const byStep = new Map<string, TStoredLogLine[]>();
      for (const l of lines) {
        const list = byStep.get(l.step) ?? [];
        list.push({ at: l.at.toISOString(), stream: l.stream, text: l.text });
        byStep.set(l.step, list);
      }
      await db.insert(logChunks).values([...byStep].map(([step, chunk]) => ({ taskRunId, step, lines: chunk })));
    },
  };
}
