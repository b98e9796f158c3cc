/**
 * The auth stores on one database (Drizzle), and their unit of work: `transaction` opens one database
 * transaction and hands out the same stores, and the audit log, bound to it.
 */
import type { AuthRecords, AuthStores } from '@/lib/server/auth/ports';
import { createApiTokenStore } from './api-token-store';
import { createAuditTrail } from './audit-trail';
import type { Db, DbOrTx } from './client';
import { createLoginAttemptStore } from './login-attempt-store';
import { createSessionStore } from './session-store';
import { createUserStore } from './user-store';

function records(db: DbOrTx, now: () => Date): AuthRecords {
  return {
    users: createUserStore(db),
    sessions: createSessionStore(db),
    loginAttempts: createLoginAttemptStore(db),
    tokens: createApiTokenStore(db),
    audit: createAuditTrail(db, now),
  };
}

export function createAuthStores(db: Db, now: () => Date): AuthStores {
  return { ...records(db, now), transaction: (work) => db.transaction((tx) => work(records(tx, now))) };
}
