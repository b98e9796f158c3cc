import type { AuthStores } from '@/lib/server/auth/ports';
import type { AuditTrail } from '@/lib/server/audit';
import type { ExpiredRecordStore } from '@/lib/server/system/ports';
import { createAuditTrail } from './audit-trail';
import { createAuthStores } from './auth-stores';
import type { Db } from './client';
import { createExpiredRecordStore } from './expired-record-store';

/** The stores of the auth, token and housekeeping use cases on one database, as the composition roots hand them out. */
export interface ServiceStores {
  auth: AuthStores;
  expired: ExpiredRecordStore;
  audit: AuditTrail;
}

export function createServiceStores(db: Db, now: () => Date): ServiceStores {
  return { auth: createAuthStores(db, now), expired: createExpiredRecordStore(db), audit: createAuditTrail(db, now) };
}
