import { randomUUID } from 'node:crypto';
import type { Decision } from '@/lib/domain/pipeline/decide';
import { pickExecutor, withRequestedExecutor, type ExecutorKind } from '@/lib/domain/pipeline/executor-choice';
import { planChildTaskRun, type ChildContext } from '@/lib/domain/pipeline/plan-child-task-run';
import type { TaskRunStart } from '@/lib/domain/pipeline/plan-task-start';
import { ZTaskRunStatus, type TStoredPlanInput, type TTaskRunStatus } from '@/lib/domain/pipeline/stored-schemas';
import { taskRunCondition } from '@/lib/domain/pipeline/succeeded-condition';
import type { TaskRunStateName } from '@/lib/domain/pipeline/task-run-states';
import { pendingTaskRunStatus } from '@/lib/domain/pipeline/task-run-status';
import type { PipelineUnit, TaskRunRow } from './ports';
import type { ClaimOnCreate } from './reconcile-pipeline-run';
import { claimedFields, runningStatus } from './task-run-lease';

/**
 * The TaskRun rows a reconcile's decision writes: new ones planned and inserted (some claimed at once), retried
 * ones reset for their next attempt, and cancels requested.
 */

function failedStatus(
  state: Extract<TaskRunStateName, 'failed' | 'cancelled'>,
  now: Date,
  reason: string,
  message: string,
): TTaskRunStatus {
  return {
    ...pendingTaskRunStatus(now),
    conditions: [taskRunCondition(state, reason, message, now)],
    completionTime: now.toISOString(),
  };
}

interface PlannedChild {
  start: TaskRunStart;
  uid: string;
  state: Extract<TaskRunStateName, 'pending' | 'failed'>;
  status: TTaskRunStatus;
  plan: TStoredPlanInput;
}

export async function planChildren(
  now: Date,
  starts: TaskRunStart[],
  ctx: () => Promise<ChildContext>,
  /** The executor the PipelineRun (or its Pipeline) asks for, stamped on TaskRuns that ask for none themselves. */
  executor?: ExecutorKind,
): Promise<PlannedChild[]> {
  if (starts.length === 0) return [];
  const context = await ctx();
  return starts.map((start) => {
    const uid = randomUUID();
    const planned = planChildTaskRun(start, context, uid);
    const status = planned.ok
      ? pendingTaskRunStatus(now)
      : failedStatus(
          'failed',
          now,
          planned.errors[0].reason,
          planned.errors.map((e) => `${e.path}: ${e.message}`).join('; '),
        );
    const plan = planned.ok
      ? withRequestedExecutor(planned.plan, executor)
      : { taskRunName: start.taskRunName, steps: [] };
    return {
      start,
      uid,
      state: planned.ok ? 'pending' : 'failed',
      status,
      plan,
    };
  });
}

/** Inserts the new TaskRun rows of a decision in one statement, the first `claim.max` pending ones claimed. Returns the rows actually created. */
export async function createChildren(
  tx: PipelineUnit,
  now: Date,
  { id: runId, project }: { id: string; project: string },
  children: PlannedChild[],
  claim: ClaimOnCreate | undefined,
): Promise<TaskRunRow[]> {
  if (children.length === 0) return [];
  let toClaim = claim?.max ?? 0;
  const rows = children.map((c): TaskRunRow => {
    const row: TaskRunRow = {
      id: c.uid,
      name: c.start.taskRunName,
      pipelineRunId: runId,
      // A PipelineRun's TaskRuns are of its project.
      project,
      pipelineTask: c.start.task,
      matrixIndex: c.start.matrixIndex ?? null,
      plan: c.plan,
      state: c.state,
      attempt: c.start.attempt,
      status: c.status,
      leaseOwner: null,
      leaseExpiresAt: null,
      cancelRequested: null,
      createdAt: now,
      startedAt: null,
      completedAt: c.state === 'pending' ? null : now,
      executor: null,
      podNamespace: null,
      logsRemovedAt: null,
    };
    if (!claim || c.state !== 'pending' || toClaim <= 0) return row;
    if (pickExecutor(row, { defaultKind: claim.defaultExecutor ?? 'local' }).kind !== 'local') return row;
    toClaim--;
    return {
      ...row,
      ...claimedFields(claim.owner, claim.leaseMs, now),
      executor: 'local',
      status: { ...c.status, ...runningStatus(now) },
    };
  });
  // Only the ids come back (a name taken by a concurrent reconcile is skipped): the rows are what was sent.
  const ids = new Set(await tx.taskRuns.insert(rows));
  return rows.filter((r) => ids.has(r.id));
}

/** Resets the rows of retried TaskRuns for their next attempt, keeping the earlier attempts' status as history. */
export async function retryChildren(
  tx: PipelineUnit,
  now: Date,
  children: PlannedChild[],
): Promise<Pick<TaskRunRow, 'id' | 'state'>[]> {
  const out: Pick<TaskRunRow, 'id' | 'state'>[] = [];
  for (const c of children) {
    const old = await tx.taskRuns.statusOf(c.start.taskRunName);
    const previous = old && ZTaskRunStatus.parse(old);
    const history = [
      ...(previous?.retriesStatus ?? []),
      ...(previous ? [{ ...previous, retriesStatus: undefined }] : []),
    ];
    const row = await tx.taskRuns.resetForRetry({
      name: c.start.taskRunName,
      attempt: c.start.attempt,
      state: c.state,
      plan: c.plan,
      status: { ...c.status, retriesStatus: history },
      completedAt: c.state === 'pending' ? null : now,
    });
    if (row) out.push(row);
  }
  return out;
}

export async function requestCancels(
  tx: PipelineUnit,
  now: Date,
  runId: string,
  cancels: Decision['cancelRunning'],
): Promise<void> {
  for (const c of cancels) {
    const which = { pipelineRunId: runId, task: c.task, matrixIndex: c.matrixIndex };
    await tx.taskRuns.cancelPending(which, failedStatus('cancelled', now, 'TaskRunCancelled', c.message), now);
    await tx.taskRuns.requestCancel(which, c.message);
  }
}
