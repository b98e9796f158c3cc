import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { taskRuns, type TaskRunRow } from '@/lib/adapters/db/schema';
import { taskRunCondition } from '@/lib/domain/pipeline/succeeded-condition';
import { TaskRunStates, type TaskRunStateName } from '@/lib/domain/pipeline/task-run-states';
import type { TTaskRunStatus } from '@/lib/domain/pipeline/stored-schemas';
import type { Deps } from '../deps';

export const DEFAULT_LEASE_MS = 30_000;

/**
 * Claims a pending TaskRun for one worker. Idempotent: the same job delivered twice, or two workers
 * racing, leave exactly one owner; everyone else gets undefined.
 */
export async function claimTaskRun(
  deps: Deps,
  id: string,
  owner: string,
  leaseMs = DEFAULT_LEASE_MS,
): Promise<TaskRunRow | undefined> {
  const [row] = await claimTaskRuns(deps, [id], owner, leaseMs);
  return row;
}

/** The columns of a TaskRun that `owner` holds from `now` on. */
export function claimedFields(owner: string, leaseMs: number, now: Date) {
  return {
    state: 'running' as const,
    leaseOwner: owner,
    leaseExpiresAt: new Date(now.getTime() + leaseMs),
    startedAt: now,
  };
}

/** Tekton reports a claimed TaskRun as Running from here on: the status fields that say so. */
export function runningStatus(now: Date): Pick<TTaskRunStatus, 'conditions' | 'startTime'> {
  return {
    conditions: [taskRunCondition('running', 'Running', 'Running', now)],
    startTime: now.toISOString(),
  };
}

/** Claims several pending TaskRuns in one statement (a fan-out's), with the same guarantees; returns those it got. */
export async function claimTaskRuns(
  deps: Deps,
  ids: readonly string[],
  owner: string,
  leaseMs = DEFAULT_LEASE_MS,
): Promise<TaskRunRow[]> {
  if (ids.length === 0) return [];
  const now = deps.now();
  return deps.db
    .update(taskRuns)
    .set({
      ...claimedFields(owner, leaseMs, now),
      status: sql`${taskRuns.status} || ${JSON.stringify(runningStatus(now))}::jsonb`,
    })
    .where(and(inArray(taskRuns.id, [...ids]), inArray(taskRuns.state, TaskRunStates.predecessors('running'))))
    .returning();
}

/** Extends the lease while the owner still holds it; reports whether a cancel was requested meanwhile. */
export async function renewLease(
  deps: Deps,
  id: string,
  owner: string,
  leaseMs = DEFAULT_LEASE_MS,
): Promise<{ held: boolean; cancelRequested: string | null }> {
  const [row] = await deps.db
    .update(taskRuns)
    .set({ leaseExpiresAt: new Date(deps.now().getTime() + leaseMs) })
    .where(and(eq(taskRuns.id, id), eq(taskRuns.leaseOwner, owner), eq(taskRuns.state, 'running')))
    .returning({ cancelRequested: taskRuns.cancelRequested });
  return { held: Boolean(row), cancelRequested: row?.cancelRequested ?? null };
}

export interface TaskRunCompletion {
  state: Extract<TaskRunStateName, 'succeeded' | 'failed' | 'cancelled'>;
  status: TTaskRunStatus;
}

/** What a finished TaskRun's caller needs: which PipelineRun to move on. */
export type CompletedTaskRun = Pick<TaskRunRow, 'id' | 'name' | 'pipelineRunId' | 'state'>;

/**
 * Records the outcome, only if this worker still owns the run (a reaped lease loses the race) and the
 * transition table allows the move (compare-and-set on the states it may come from; a row a worker owns is running).
 */
export async function completeTaskRun(
  deps: Deps,
  id: string,
  owner: string,
  done: TaskRunCompletion,
): Promise<CompletedTaskRun | undefined> {
  const [row] = await deps.db
    .update(taskRuns)
    .set({ state: done.state, status: done.status, completedAt: deps.now(), leaseOwner: null, leaseExpiresAt: null })
    .where(
      and(
        eq(taskRuns.id, id),
        eq(taskRuns.leaseOwner, owner),
        inArray(taskRuns.state, TaskRunStates.predecessors(done.state)),
      ),
    )
    .returning({ id: taskRuns.id, name: taskRuns.name, pipelineRunId: taskRuns.pipelineRunId, state: taskRuns.state });
  return row;
}

/**
 * TaskRuns whose worker stopped renewing (it died, or its machine did) are failed with a clear reason,
 * so no run stays Running forever; the pipeline's retries then apply as to any other failure.
 */
export async function reapExpiredLeases(deps: Deps): Promise<TaskRunRow[]> {
  const now = deps.now();
  const state = 'failed' as const;
  return deps.db
    .update(taskRuns)
    .set({
      state,
      completedAt: now,
      leaseOwner: null,
      leaseExpiresAt: null,
      status: sql`${taskRuns.status} || ${JSON.stringify({
        conditions: [
          taskRunCondition(
            state,
            'TaskRunLeaseExpired',
            'The worker running this TaskRun stopped responding; its lease expired.',
            now,
          ),
        ],
        completionTime: now.toISOString(),
      })}::jsonb`,
    })
    .where(and(eq(taskRuns.state, 'running'), lt(taskRuns.leaseExpiresAt, now)))
    .returning();
}
