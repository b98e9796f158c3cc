import { eq } from 'drizzle-orm';
import { AppError } from '@/lib/errors';
import { applications } from '@/lib/adapters/db/schema';
import { recordAudit } from '../../audit';
import type { Deps } from '../../deps';
import type { Principal } from '../../principal';
import { notifyController } from '../notify-controller';
import { loadApplication, noSuchApplication } from './load-application';
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
  deps: Deps,
  principal: Principal,
  name: string,
  cascade: boolean,
): Promise<DeleteOutcome> {
  const audit = auditEntry(principal, 'application.delete', `application/${name}`, { cascade });
  if (!cascade) {
    await deps.db.transaction(async (tx) => {
      const gone = await tx.delete(applications).where(eq(applications.name, name)).returning({ id: applications.id });
      if (gone.length === 0) throw noSuchApplication(name);
      await recordAudit({ ...deps, db: tx }, audit);
    });
    return { deleted: true };
  }
  const row = await loadApplication(deps, name);
  // Asking twice keeps the first request (idempotent, and the first requester stays on record).
  const deletion = row.deletion ?? {
    cascade: true,
    requestedBy: principal.username,
    requestedAt: deps.now().toISOString(),
  };
  await deps.db.transaction(async (tx) => {
    if (!row.deletion) {
      await tx.update(applications).set({ deletion, updatedAt: deps.now() }).where(eq(applications.id, row.id));
      await recordAudit({ ...deps, db: tx }, audit);
    }
    await notifyController({ db: tx }, name);
  });
  return { deleting: true, deletion };
}
