/**
 * Ends an operation: a failure with a retry policy goes back in the queue after its backoff; a
 * success is recorded in the history (trimmed to revisionHistoryLimit); either way the app is
 * refreshed so its status reflects what happened.
 */
import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { appHistory, appOperations, applications } from '@/lib/adapters/db/schema';
import { nextRetry } from '@/lib/domain/gitops';
import { OperationPhases } from '@/lib/domain/gitops/operation-phases';
import type { TOperationPhase } from '@/lib/schemas/applications';
import { repoRefFor, type AppRow } from '../app-target';
import type { OpRow } from './drive-operation';
import type { ControllerRuntime } from './runtime';

async function recordHistory(rt: ControllerRuntime, app: AppRow, op: OpRow, finishedAt: Date): Promise<void> {
  const sha = op.revision as string;
  const commit = await rt.commits.get(await repoRefFor(rt.deps, rt.box, app), sha);
  await rt.deps.db.transaction(async (tx) => {
    // Serialises history writers of one app (ids grow by one).
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`app-history:${app.id}`}))`);
    const [last] = await tx
      .select({ id: appHistory.id })
      .from(appHistory)
      .where(eq(appHistory.appId, app.id))
      .orderBy(desc(appHistory.id))
      .limit(1);
    const id = (last?.id ?? -1) + 1;
    await tx.insert(appHistory).values({
      appId: app.id,
      id,
      revision: sha,
      source: { ...app.spec.source, targetRevision: op.operation.sync.revision || app.spec.source.targetRevision },
      deployedAt: finishedAt,
      deployStartedAt: op.startedAt,
      initiatedBy: op.operation.initiatedBy,
      commit: commit ? { sha, message: commit.message, author: commit.author, date: commit.date } : undefined,
      operationId: op.id,
    });
    await tx
      .delete(appHistory)
      .where(and(eq(appHistory.appId, app.id), lt(appHistory.id, id - app.spec.revisionHistoryLimit + 1)));
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
      await rt.deps.db
        .update(appOperations)
        .set({
          plan: null,
          progress: null,
          retryCount: op.retryCount + 1,
          nextAttemptAt: at,
          leaseOwner: null,
          leaseUntil: null,
          message: `Retrying attempt #${op.retryCount + 1} at ${at.toISOString().slice(11, 19)}: ${message}`,
        })
        .where(eq(appOperations.id, op.id));
      return;
    }
  }
  // Compare-and-set on the phases the transition table lets this one follow: an operation another
  // controller already ended is left as it is, and so is the app.
  const [finished] = await rt.deps.db
    .update(appOperations)
    .set({ phase, message, finishedAt: now, leaseOwner: null, leaseUntil: null })
    .where(and(eq(appOperations.id, op.id), inArray(appOperations.phase, OperationPhases.predecessors(phase))))
    .returning({ id: appOperations.id });
  if (!finished) return;
  if (phase === 'Succeeded' && !dryRun && op.revision) await recordHistory(rt, app, op, now);
  const patch: Partial<typeof applications.$inferInsert> = { refreshRequested: 'normal', nextReconcileAt: now };
  if (phase === 'Succeeded' && !dryRun) patch.lastSyncedAt = now;
  if (op.operation.initiatedBy.automated && app.lastAutoSync)
    patch.lastAutoSync = { ...app.lastAutoSync, at: now.getTime(), succeeded: phase === 'Succeeded' };
  await rt.deps.db.update(applications).set(patch).where(eq(applications.id, app.id));
}
