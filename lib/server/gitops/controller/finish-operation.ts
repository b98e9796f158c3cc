/**
 * Ends an operation: a failure with a retry policy goes back in the queue after its backoff; a
 * success is recorded in the history (trimmed to revisionHistoryLimit); either way the app is
 * refreshed so its status reflects what happened.
 */
import { nextRetry } from '@/lib/domain/gitops';
import type { TOperationPhase } from '@/lib/schemas/applications';
import { repoRefFor, type ControlledApp } from '../app-target';
import type { AppStatusPatch } from '../ports';
import type { OpRow } from './drive-operation';
import type { ControllerRuntime } from './runtime';

async function recordHistory(rt: ControllerRuntime, app: ControlledApp, op: OpRow, finishedAt: Date): Promise<void> {
  const sha = op.revision as string;
  // The commit the last compare read (a sync of the compared revision), else read from the mirror.
  const commit =
    app.revision === sha && app.commit ? app.commit : await rt.commits.get(await repoRefFor(rt.deps, rt.box, app), sha);
  await rt.deps.gitops.history.append(
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
}

/** What an ending operation stores with its phase: its final progress, per-resource results and steps. */
export type FinalState = Parameters<ControllerRuntime['operations']['finish']>[4];

export async function finishOperation(
  rt: ControllerRuntime,
  app: ControlledApp,
  op: OpRow,
  phase: TOperationPhase,
  message: string,
  final?: FinalState,
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
      // The failed attempt's results stay shown until the next attempt starts.
      if (final?.results) await rt.operations.save(op.id, { results: final.results, steps: final.steps });
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
  if (!(await rt.operations.finish(op.id, phase, message, now, final))) return;
  if (phase === 'Succeeded' && !dryRun && op.revision) await recordHistory(rt, app, op, now);
  // The refresh every ending asks for compares with what the operation saw: it shares any fetch of the repository
  // made since the operation was asked for (a push made during it has a refresh of its own, by webhook or poll), so
  // a thousand syncs ending together cost a few fetches, not one each.
  // A refresh asked meanwhile (a webhook's, a user's hard one) is not replaced: it keeps its level and time.
  const patch: AppStatusPatch = { refreshRequested: { ask: 'normal', askedAt: op.startedAt } };
  if (phase === 'Succeeded' && !dryRun) patch.lastSyncedAt = now;
  if (op.operation.initiatedBy.automated && app.lastAutoSync)
    patch.lastAutoSync = { ...app.lastAutoSync, at: now.getTime(), succeeded: phase === 'Succeeded' };
  await rt.apps.saveStatus(app.id, patch);
}
