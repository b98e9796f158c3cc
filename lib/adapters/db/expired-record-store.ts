import { and, isNotNull, lt, or } from 'drizzle-orm';
import type { ExpiredRecordStore } from '@/lib/server/system/ports';
import type { DbOrTx } from './client';
import { apiTokens, rateLimits, sessions, triggerDeliveries } from './schema';

const count = async (deleted: Promise<unknown[]>) => (await deleted).length;

export function createExpiredRecordStore(db: DbOrTx): ExpiredRecordStore {
  const ended = (cutoff: Date) =>
    or(and(isNotNull(apiTokens.expiresAt), lt(apiTokens.expiresAt, cutoff)), lt(apiTokens.revokedAt, cutoff));
  return {
    deleteSessions: (now) =>
      count(db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.id })),
    deleteTokens: (cutoff) => count(db.delete(apiTokens).where(ended(cutoff)).returning({ id: apiTokens.id })),
    deleteRateWindows: (cutoff) =>
      count(db.delete(rateLimits).where(lt(rateLimits.windowStart, cutoff)).returning({ key: rateLimits.key })),
    deleteDeliveries: (cutoff) =>
      count(
        db
          .delete(triggerDeliveries)
          .where(lt(triggerDeliveries.receivedAt, cutoff))
          .returning({ id: triggerDeliveries.id }),
      ),
  };
}
