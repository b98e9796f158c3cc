/**
 * Ends an operation: a failure with a retry policy goes back in the queue after its backoff; a
 * success is recorded in the history (trimmed to revisionHistoryLimit); either way the app is
 * refreshed so its status reflects what happened.
 */
import { nextRetry } from '@/lib/domain/gitops';
import type { TOperationPhase } from '@/lib/schemas/applications';
import { repoRefFor, type AppRow } from '../app-target';
import type { AppStatusPatch } from '../ports';
import type { OpRow } from './drive-operation';
import type { ControllerRuntime } from './runtime';

async function recordHistory(rt: ControllerRuntime, app: AppRow, op: OpRow, finishedAt: Date): Promise<void> {
  const sha = op.revision as string;
  const commit = await rt.commits.get(await repoRefFor(rt.deps, rt.box, app), sha);
  await rt.deps.gitops.transaction(async (tx) => {
    await tx.history.append(
      {
        appId: app.id,
        revision: sha,
        source: { ...app.spec.source, targetRevision: op.operation.sync.revision || app.spec.source.targetRevision },
        deployedAt: finishedAt,
        deployStartedAt: op.startedAt,
        initiatedBy: op.operation.initiatedBy,
        commit: commit ? { sha, message: commit.message, author: commit.author, date: commit.date } : undefined,
        operationId: op.id,
      },
      app.spec.revisionHistoryLimit,
    );
  });
}

export async function finishOperation(
  rt: ControllerRuntime,
  app: AppRow,
  op: OpRow,
  phase: TOperationPhase,
  message: string,
): Promise<void> {
  const now = rt.deps.now();
  const dryRun = op.operation.sync.dryRun;
  if (phase !== 'Succeeded' && !dryRun && !op.terminateRequested) {
    const retry = nextRetry(
      op.retryCount,
      app.spec.syncPolicy.retry
        ? { limit: app.spec.syncPolicy.retry.limit, backoff: app.spec.syncPolicy.retry.backoff }
        : undefined,
    );
    if (retry.retry) {
      const at = new Date(now.getTime() + retry.delayMs);
      await rt.operations.scheduleRetry(op.id, {
        retryCount: op.retryCount + 1,
        nextAttemptAt: at,
        message: `Retrying attempt #${op.retryCount + 1} at ${at.toISOString().slice(11, 19)}: ${message}`,
      });
      return;
    }
  }
  // Compare-and-set on the phases the transition table lets this one follow: an operation another
  // controller already ended is left as it is, and so is the app.
  if (!(await rt.operations.finish(op.id, phase, message, now))) return;
  if (phase === 'Succeeded' && !dryRun && op.revision) await recordHistory(rt, app, op, now);
  const patch: AppStatusPatch = { refreshRequested: 'normal', nextReconcileAt: now };
  if (phase === 'Succeeded' && !dryRun) patch.lastSyncedAt = now;
  if (op.operation.initiatedBy.automated && app.lastAutoSync)
    patch.lastAutoSync = { ...app.lastAutoSync, at: now.getTime(), succeeded: phase === 'Succeeded' };
  await rt.apps.saveStatus(app.id, patch);
}
