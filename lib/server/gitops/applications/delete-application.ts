import { AppError } from '@/lib/errors';
import type { Principal } from '../../principal';
import type { GitopsDeps } from '../ports';
import { loadAppFor } from './app-access';
import { noSuchApplication } from './load-application';
import { auditEntry } from '../audit-entry';

/** The `cascade` query parameter: absent means cascade, as in Argo CD's API and CLI. */
export function cascadeParam(value: string | null): boolean {
  if (value === null || value === 'true') return true;
  if (value === 'false') return false;
  throw new AppError('BAD_REQUEST', 'cascade must be true or false.', {
    issues: [{ path: 'cascade', message: `"${value}" is not true or false` }],
    hint: "Leave cascade out (or set it to true) to delete the app's resources too; set cascade=false to keep them in the cluster.",
  });
}

export type DeleteOutcome =
  { deleted: true } | { deleting: true; deletion: { cascade: boolean; requestedBy: string; requestedAt: string } };

/**
 * Without cascade the row goes at once (operations and history with it) and the cluster's objects
 * stay. With cascade the controller deletes the app's objects first, then the row: 202.
 */
export async function deleteApplication(
  deps: GitopsDeps,
  principal: Principal,
  name: string,
  cascade: boolean,
): Promise<DeleteOutcome> {
  const row = await loadAppFor(deps, principal, name, 'delete');
  const audit = auditEntry(principal, 'application.delete', `application/${name}`, { cascade });
  if (!cascade) {
    await deps.gitops.transaction(async (tx) => {
      if (!(await tx.apps.deleteByName(name))) throw noSuchApplication(name);
      await tx.audit.record(audit);
    });
    return { deleted: true };
  }
  // Asking twice keeps the first request (idempotent, and the first requester stays on record).
  const deletion = row.deletion ?? {
    cascade: true,
    requestedBy: principal.username,
    requestedAt: deps.now().toISOString(),
  };
  await deps.gitops.transaction(async (tx) => {
    if (!row.deletion) {
      await tx.apps.setDeletion(row.id, deletion, deps.now());
      await tx.audit.record(audit);
    }
    await tx.notify(name);
  });
  return { deleting: true, deletion };
}
