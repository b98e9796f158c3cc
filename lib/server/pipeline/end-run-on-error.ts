import { PipelineRunReason, TaskRunReason } from '@/lib/domain/pipeline/reasons';
import { ZFrozenRunSpec, ZPipelineRunStatus, type TTaskRunStatus } from '@/lib/domain/pipeline/stored-schemas';
import { succeededCondition, taskRunCondition } from '@/lib/domain/pipeline/succeeded-condition';
import { pendingTaskRunStatus } from '@/lib/domain/pipeline/task-run-status';
import { wakeParent } from './child-pipeline-runs';
import { jobKeys, type PipelineDeps, type PipelineUnit } from './ports';
import { settleConcurrencyGroup } from './settle-concurrency-group';

/** A message is shown on the run's page and in its status: long ones (a zod error's list) are cut. */
const MAX_MESSAGE = 4000;

/** What a reconcile reports when it ended the run (reconcile-pipeline-run.ts). */
export interface EndedRun {
  pending: string[];
  claimed: never[];
  finished: true;
  again: false;
}

/**
 * Ends a PipelineRun whose reconcile threw a permanent error (one that is not transient-error.ts's), in a new
 * transaction: as upstream's reconciler does with a permanent error, the run ends Failed (Succeeded=False) with
 * reason ReconcileFailed and the error's message, instead of being reconciled again at every tick forever. Its
 * unfinished TaskRuns are cancelled, its unfinished child PipelineRuns asked to cancel, its parent woken, and its
 * concurrency group settled in the same transaction (the next queued run starts). Nothing of the run's stored spec
 * is needed: it may be what failed to parse.
 */
export async function endRunOnError(deps: PipelineDeps, runId: string, err: unknown): Promise<EndedRun> {
  const message = reconcileFailedMessage(err);
  await deps.stores.transaction(async (tx) => {
    const run = await tx.runs.lockForReconcile(runId);
    if (!run) return;
    const now = deps.now();
    await cancelChildren(tx, runId, `PipelineRun "${run.name}" failed: ${message}`, now);
    const condition = succeededCondition('False', PipelineRunReason.ReconcileFailed, message, now);
    const previous = ZPipelineRunStatus.safeParse(run.status);
    const status = ZPipelineRunStatus.parse({
      ...(previous.success ? previous.data : {}),
      conditions: [condition],
      startTime: (previous.success && previous.data.startTime) || (run.startedAt ?? run.createdAt).toISOString(),
      completionTime: now.toISOString(),
    });
    await tx.runs.saveReconciled(runId, {
      status,
      conditionStatus: 'False',
      conditionReason: PipelineRunReason.ReconcileFailed,
      completedAt: now,
    });
    await wakeParent(tx, run);
    // The run's slot is free: the group's next queued run starts in this transaction.
    if (run.concurrencyGroup) await settleConcurrencyGroup(tx, run.concurrencyGroup, now);
  });
  return { pending: [], claimed: [], finished: true, again: false };
}

/** The message of the run's condition: the error's own, as upstream's, without its stack. */
export function reconcileFailedMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const cut = text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
  return `The PipelineRun could not be reconciled: ${cut}`;
}

/** The status of a TaskRun that ends without running (further): the condition says why. */
export function endedTaskRunStatus(
  state: 'failed' | 'cancelled',
  reason: string,
  message: string,
  now: Date,
): TTaskRunStatus {
  return {
    ...pendingTaskRunStatus(now),
    conditions: [taskRunCondition(state, reason, message, now)],
    completionTime: now.toISOString(),
  };
}

/** Cancels the run's unfinished TaskRuns (pending ones at once, running ones by their worker) and child PipelineRuns. */
async function cancelChildren(tx: PipelineUnit, runId: string, message: string, now: Date): Promise<void> {
  const cancelled = endedTaskRunStatus('cancelled', TaskRunReason.Cancelled, message, now);
  for (const row of await tx.taskRuns.scheduleRows(runId)) {
    if (row.state !== 'pending' && row.state !== 'running') continue;
    const which = {
      pipelineRunId: runId,
      task: row.pipelineTask ?? row.name,
      matrixIndex: row.matrixIndex ?? undefined,
    };
    await tx.taskRuns.cancelPending(which, cancelled, now);
    await tx.taskRuns.requestCancel(which, message);
  }
  for (const child of await tx.runs.childrenOf(runId)) {
    if (child.completedAt) continue;
    const own = ZFrozenRunSpec.safeParse(child.spec);
    if (!own.success || own.data.run.status === 'Cancelled') continue;
    await tx.runs.saveSpec(child.id, { ...own.data, run: { ...own.data.run, status: 'Cancelled' } });
    await tx.jobs.reconcileRun(child.id, jobKeys.cancelled(child.id, 'Cancelled', now));
  }
}
