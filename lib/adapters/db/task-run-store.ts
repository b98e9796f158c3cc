/** TaskRuns, their leases and their logs (Drizzle); implements the pipeline TaskRunStore port. */
import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { taskRunCondition } from '@/lib/domain/pipeline/succeeded-condition';
import { TaskRunStates } from '@/lib/domain/pipeline/task-run-states';
import type { TStoredLogLine } from '@/lib/domain/pipeline/stored-schemas';
import type { LogLine } from '@/lib/domain/pipeline/task-run-plan';
import type { TaskRunStore } from '@/lib/server/pipeline/ports';
import { claimedFields, runningStatus } from '@/lib/server/pipeline/task-run-lease';
import type { DbOrTx } from './client';
import { logChunks, pipelineRuns, taskRuns } from './schema';

export function createTaskRunStore(db: DbOrTx, now: () => Date): TaskRunStore {
  return {
    async claim(ids, owner, leaseMs) {
      if (ids.length === 0) return [];
      const at = now();
      return db
        .update(taskRuns)
        .set({
          ...claimedFields(owner, leaseMs, at),
          status: sql`${taskRuns.status} || ${JSON.stringify(runningStatus(at))}::jsonb`,
        })
        .where(and(inArray(taskRuns.id, [...ids]), inArray(taskRuns.state, TaskRunStates.predecessors('running'))))
        .returning();
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
