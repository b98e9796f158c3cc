import type { DbOrTx } from '@/lib/adapters/db/client';
import { auditLog } from '@/lib/adapters/db/schema';
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
 * Every mutating action and every login attempt leaves a row: who, what, when, target, result.
 * Pass the transaction of the change it records (`{ ...deps, db: tx }`) so both commit or neither.
 */
export async function recordAudit(deps: Pick<Deps, 'now'> & { db: DbOrTx }, entry: AuditEntry): Promise<void> {
  await deps.db.insert(auditLog).values({ ...entry, at: deps.now() });
}
