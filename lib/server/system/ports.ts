import type { AuditTrail } from '../audit';

/** Rows past their time, deleted by housekeeping; each method answers how many it deleted. */
export interface ExpiredRecordStore {
  /** Browser sessions that expired before `now`. */
  deleteSessions(now: Date): Promise<number>;
  /** API tokens that expired, or were revoked, before `cutoff`. */
  deleteTokens(cutoff: Date): Promise<number>;
  /** Login counters whose window started before `cutoff`. */
  deleteRateWindows(cutoff: Date): Promise<number>;
  /** Trigger deliveries received before `cutoff`. */
  deleteDeliveries(cutoff: Date): Promise<number>;
}

/** What housekeeping needs: the expired rows, the audit log and the clock. */
export interface HousekeepingDeps {
  expired: ExpiredRecordStore;
  audit: AuditTrail;
  now: () => Date;
}
