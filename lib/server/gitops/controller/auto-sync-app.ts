import { shouldAutoSync, type AutoSyncDecision } from '@/lib/domain/gitops';
import { activeAutomation } from '@/lib/schemas/applications';
import type { ControlledApp } from '../app-target';
import { INVALID_SPEC } from '../app-project';
import { windowNow } from './project-rules';
import type { ReconcileResult } from './reconcile-app';
import type { ControllerRuntime } from './runtime';

/**
 * Why an automated sync may not start now, though due: the project refuses the app (InvalidSpecError), or a
 * sync window blocks automated syncs. Nothing is recorded, so it starts once that passes.
 */
export async function autoSyncBlocked(rt: ControllerRuntime, app: ControlledApp): Promise<string | undefined> {
  const invalid = app.conditions.find((c) => c.type === INVALID_SPEC);
  if (invalid) return `auto-sync skipped: ${invalid.message}`;
  const window = await windowNow(rt, app);
  return window.state === 'allowed' ? undefined : `auto-sync skipped: ${window.reason}`;
}

/**
 * After a refresh: start an automated sync when the pure decision says so and neither the project nor a sync
 * window holds it (`blocked` says why; Argo CD records `initiatedBy: { automated: true }`). The operation row and its
 * audit row (actor `automated`, via `controller`) commit together; the controller's operation worker runs it.
 */
export async function autoSyncApp(
  rt: ControllerRuntime,
  app: ControlledApp,
  result: ReconcileResult,
): Promise<AutoSyncDecision & { started: boolean; blocked?: string }> {
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
  const blocked = await autoSyncBlocked(rt, app);
  if (blocked) return { ...decision, started: false, blocked };
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
