import type { AuditTrail } from '@/lib/server/audit';
import type { DbOrTx } from './client';
import { auditLog } from './schema';

/** The audit log on one connection: the pool, or the transaction of the change a row records. */
export function createAuditTrail(db: DbOrTx, now: () => Date): AuditTrail {
  return { record: async (entry) => void (await db.insert(auditLog).values({ ...entry, at: now() })) };
}
