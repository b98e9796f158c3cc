import { shouldAutoSync, type AutoSyncDecision } from '@/lib/domain/gitops';
import { activeAutomation } from '@/lib/schemas/applications';
import type { AppRow } from '../app-target';
import type { ReconcileResult } from './reconcile-app';
import type { ControllerRuntime } from './runtime';

/**
 * After a refresh: start an automated sync when the pure decision says so. The operation row and its
 * audit row (actor `automated`, via `controller`) commit together; the controller's operation worker runs it.
 */
export async function autoSyncApp(
  rt: ControllerRuntime,
  app: AppRow,
  result: ReconcileResult,
): Promise<AutoSyncDecision & { started: boolean }> {
  const open = await rt.operations.findOpen(app.id);
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
      await rt.apps.saveStatus(app.id, { conditions });
    }
    return { ...decision, started: false };
  }
  const sha = result.sha;
  const record = decision.record;
  await rt.deps.gitops.transaction(async (tx) => {
    await tx.operations.insert(
      app.id,
      {
        sync: { revision: sha, prune: automated?.prune ?? false, dryRun: false, syncOptions: [] },
        initiatedBy: { automated: true, username: 'auto-sync' },
      },
      rt.deps.now(),
      decision.reason,
    );
    await tx.apps.saveStatus(app.id, { lastAutoSync: { ...record, at: rt.deps.now().getTime() } });
    // Argo CD's initiatedBy.automated: the audit log names no person, the controller did it.
    await tx.audit.record({
      actor: 'automated',
      via: 'controller',
      action: 'application.sync',
      target: `application/${app.name}`,
      result: 'success',
      details: { revision: sha, reason: decision.reason, prune: automated?.prune ?? false },
    });
  });
  return { ...decision, started: true };
}
