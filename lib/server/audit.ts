import type { DbOrTx } from '@/lib/adapters/db/client';
import { createAuditTrail } from '@/lib/adapters/db/audit-trail';
import type { Deps } from './deps';

export interface AuditEntry {
  actor: string;
  action: string;
  target?: string;
  result: 'success' | 'failure';
  ip?: string;
  details?: Record<string, unknown>;
}

/**
 * The audit log: every mutating action and every login attempt leaves a row (who, what, when, target,
 * result). A unit of work hands out one bound to its transaction, so the row commits with the change.
 */
export interface AuditTrail {
  record(entry: AuditEntry): Promise<void>;
}

/**
 * For the use cases that still take a database (gitops): pass the transaction of the change it records
 * (`{ ...deps, db: tx }`) so both commit or neither. Use cases with ports write through their AuditTrail.
 */
export async function recordAudit(deps: Pick<Deps, 'now'> & { db: DbOrTx }, entry: AuditEntry): Promise<void> {
  await createAuditTrail(deps.db, deps.now).record(entry);
}
