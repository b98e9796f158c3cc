import { AppError } from '@/lib/errors';
import type { TOperationState } from '@/lib/schemas/applications';
import type { AuditEntry } from '../../audit';
import type { Principal } from '../../principal';
import type { GitopsDeps, GitopsUnit } from '../ports';
import { loadAppFor } from './app-access';
import { noSuchApplication, type ApplicationRow } from './load-application';
import { checkSyncAllowed } from './check-sync-allowed';
import { toOperationState, type OperationRow } from './to-operation-state';

/** pg's unique_violation, as thrown or as the cause drizzle wraps it in. */
function isUniqueViolation(err: unknown): boolean {
  const codeOf = (e: unknown) =>
    e && typeof e === 'object' && 'code' in e ? (e as { code: unknown }).code : undefined;
  return codeOf(err) === '23505' || codeOf((err as { cause?: unknown } | null)?.cause) === '23505';
}

/**
 * Inserts an operation for the controller, at most one open per app. The app row is locked for the
 * check and the insert, so two concurrent requests cannot both queue one. `prepare` validates the
 * request against the locked row and returns the operation (it may also write, e.g. a pin). The
 * audit row and the controller's wake-up are written in the same transaction as the operation.
 * The principal needs `applications sync` on the app (Argo CD checks sync for rollback too), its project
 * must permit it and no sync window may block a manual sync.
 */
export async function queueOperation(
  deps: GitopsDeps,
  principal: Principal,
  name: string,
  prepare: (tx: GitopsUnit, app: ApplicationRow) => Promise<TOperationState['operation']>,
  audit: (op: OperationRow) => AuditEntry,
): Promise<TOperationState> {
  const busy = (phase: string) =>
    new AppError('CONFLICT', `Another operation is already in progress on "${name}" (${phase}).`, {
      hint: `Wait for it (\`keelson app wait ${name} --operation\`) or stop it (\`keelson app terminate-op ${name}\`).`,
    });
  // Checked before the row is locked: they read through the pool, which concurrent requests waiting on the
  // lock may hold whole.
  await checkSyncAllowed(deps, await loadAppFor(deps, principal, name, 'sync'));
  const op = await deps.gitops
    .transaction(async (tx) => {
      const app = await tx.apps.lockByName(name);
      if (!app) throw noSuchApplication(name);
      if (app.deletion)
        throw new AppError('CONFLICT', `Application "${name}" is being deleted.`, {
          hint: 'Nothing can run on it any more.',
        });
      const open = await tx.operations.findOpen(app.id);
      if (open) throw busy(open.phase);
      const operation = await prepare(tx, app);
      const row = await tx.operations.insert(app.id, operation, deps.now());
      await tx.audit.record(audit(row));
      await tx.notify(name);
      return row;
    })
    .catch((err: unknown) => {
      // Belt and braces: the one-open-operation index refuses whatever slips past the row lock.
      if (isUniqueViolation(err)) throw busy('Running');
      throw err;
    });
  return toOperationState(op);
}
