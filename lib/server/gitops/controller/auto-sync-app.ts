import { and, eq, isNull } from 'drizzle-orm';
import { appOperations, applications } from '@/lib/adapters/db/schema';
import { shouldAutoSync, type AutoSyncDecision } from '@/lib/domain/gitops';
import { activeAutomation } from '@/lib/schemas/applications';
import type { AppRow } from '../app-target';
import type { ReconcileResult } from './reconcile-app';
import type { ControllerRuntime } from './runtime';

/**
 * After a refresh: start an automated sync when the pure decision says so. The operation row is
 * the only record needed; the controller's operation worker runs it.
 */
export async function autoSyncApp(
  rt: ControllerRuntime,
  app: AppRow,
  result: ReconcileResult,
): Promise<AutoSyncDecision & { started: boolean }> {
  const [open] = await rt.deps.db
    .select({ id: appOperations.id })
    .from(appOperations)
    .where(and(eq(appOperations.appId, app.id), isNull(appOperations.finishedAt)));
  const automated = activeAutomation(app.spec.syncPolicy);
  const decision = shouldAutoSync({
    syncStatus: result.sync,
    automated,
    pinnedRevision: app.pinned?.revision,
    operationInProgress: Boolean(open),
    lastAutoSync: app.lastAutoSync ?? undefined,
    currentSha: result.sha ?? '',
    paramsHash: result.paramsHash,
    now: rt.deps.now().getTime(),
    selfHealBackoff: app.spec.syncPolicy.retry?.backoff,
  });
  if (!decision.sync || !decision.record || !result.sha) {
    if (decision.error) {
      const conditions = [
        ...app.conditions.filter((c) => c.type !== 'SyncError'),
        { type: 'SyncError', message: decision.error, lastTransitionTime: rt.deps.now().toISOString() },
      ];
      await rt.deps.db.update(applications).set({ conditions }).where(eq(applications.id, app.id));
    }
    return { ...decision, started: false };
  }
  await rt.deps.db.transaction(async (tx) => {
    await tx.insert(appOperations).values({
      appId: app.id,
      operation: {
        sync: { revision: result.sha as string, prune: automated?.prune ?? false, dryRun: false, syncOptions: [] },
        initiatedBy: { automated: true, username: 'auto-sync' },
      },
      message: decision.reason,
      startedAt: rt.deps.now(),
    });
    await tx
      .update(applications)
      .set({ lastAutoSync: { ...decision.record!, at: rt.deps.now().getTime() } })
      .where(eq(applications.id, app.id));
  });
  return { ...decision, started: true };
}
