import {
  admittedStatus,
  decideAdmission,
  groupLabel,
  newestRun,
  queuedStatus,
} from '@/lib/domain/pipeline/concurrency';
import { PipelineRunReason } from '@/lib/domain/pipeline/reasons';
import { auditBy, type AuditPrincipal } from '../audit/audit-via';
import { jobKeys, type PipelineUnit } from './ports';

const CANCEL_MODES = ['Cancelled', 'CancelledRunFinally', 'StoppedRunFinally'];

/**
 * Admission of a concurrency group, in the caller's transaction, which holds the group's lock (runs.lockGroup,
 * lockGroupsOf or lockForReconcile): numbers the runs that joined since (their place in the queue), reads its
 * unfinished runs, decides with the newest run's limit and strategy (concurrency.ts), and applies it: queued runs
 * that get a slot start (with a reconcile job), superseded runs are cancelled (cancel-in-progress), the others'
 * Queued message says what they wait for. Called when a run is created, when
 * one ends (in the transaction that ends it), and when a queued run is reconciled (the tick's safety net).
 * Each run it cancels gets its own `pipelinerun.cancel` audit row, by `cause` (the principal whose start made
 * the newer run, when the caller has it) or else the newer run's creator.
 */
export async function settleConcurrencyGroup(
  tx: Pick<PipelineUnit, 'runs' | 'jobs' | 'audit'>,
  group: string,
  now: Date,
  cause?: AuditPrincipal,
): Promise<{ admitted: string[] }> {
  await tx.runs.numberJoined(group);
  const rows = (await tx.runs.openInGroup(group)).map((r) => ({ ...r, joined: r.concurrencySeq ?? undefined }));
  if (rows.length === 0) return { admitted: [] };
  const newest = newestRun(rows);
  const admission = decideAdmission(
    {
      limit: newest.concurrencyLimit ?? 1,
      strategy: newest.concurrencyStrategy === 'cancel-in-progress' ? 'cancel-in-progress' : 'queue',
    },
    groupLabel(group),
    rows.map((r) => ({
      id: r.id,
      name: r.name,
      createdAt: r.createdAt,
      joined: r.joined,
      admitted: r.startedAt !== null,
      cancelRequested: r.specStatus !== null && CANCEL_MODES.includes(r.specStatus),
    })),
  );
  for (const id of admission.admit) {
    await tx.runs.admit(id, {
      startedAt: now,
      status: admittedStatus(now),
      conditionReason: PipelineRunReason.Started,
    });
    await tx.jobs.reconcileRun(id, `admitted:${id}`);
  }
  const names = new Map(rows.map((r) => [r.id, r.name]));
  for (const c of admission.cancel) {
    await tx.runs.cancelForGroup(c.id, c.message);
    await tx.jobs.reconcileRun(c.id, jobKeys.cancelled(c.id, 'Cancelled', now));
    await tx.audit.record({
      ...auditBy(cause ?? { username: newest.createdBy }),
      action: 'pipelinerun.cancel',
      target: `pipelinerun/${names.get(c.id)}`,
      result: 'success',
      details: { reason: 'cancel-in-progress', replacedBy: c.replacedBy },
    });
  }
  const messages = new Map(rows.map((r) => [r.id, r.message]));
  for (const w of admission.wait) {
    if (messages.get(w.id) === w.message) continue;
    await tx.runs.saveReconciled(w.id, {
      status: queuedStatus(w.message, now),
      conditionStatus: 'Unknown',
      conditionReason: PipelineRunReason.Queued,
      completedAt: null,
    });
  }
  return { admitted: admission.admit };
}
