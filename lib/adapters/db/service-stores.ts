import { createCasbinPolicyEngine } from '@/lib/adapters/casbin/policy-engine';
import { createAccessControl } from '@/lib/server/access/access-control';
import type { Access, AccessStores } from '@/lib/server/access/ports';
import type { AuthStores } from '@/lib/server/auth/ports';
import type { AuditTrail } from '@/lib/server/audit';
import type { AuditLog } from '@/lib/server/audit/ports';
import type { ExpiredRecordStore, RetentionStore } from '@/lib/server/system/ports';
import { createAccessStores } from './access-stores';
import { createAuditLogStore } from './audit-log-store';
import { createAuditTrail } from './audit-trail';
import { createAuthStores } from './auth-stores';
import type { Db } from './client';
import { createExpiredRecordStore } from './expired-record-store';
import { createRetentionStore } from './retention-store';

/** The stores of the auth, token and housekeeping use cases on one database, as the composition roots hand them out. */
export interface ServiceStores {
  auth: AuthStores;
  expired: ExpiredRecordStore;
  /** Logs and runs past their retention (housekeeping). */
  retention: RetentionStore;
  audit: AuditTrail;
  /** Reading the audit log (Settings → Audit, GET /api/v1/audit). */
  auditLog: AuditLog;
  /** Projects and the RBAC ConfigMap. */
  accessStores: AccessStores;
  /** authorize()/can()/filter() against the stored policy, one snapshot per access revision. */
  access: Access;
}

export function createServiceStores(db: Db, now: () => Date): ServiceStores {
  const accessStores = createAccessStores(db, now);
  return {
    auth: createAuthStores(db, now),
    expired: createExpiredRecordStore(db),
    retention: createRetentionStore(db),
    audit: createAuditTrail(db, now),
    auditLog: createAuditLogStore(db),
    accessStores,
    access: createAccessControl(accessStores, db, createCasbinPolicyEngine),
  };
}
