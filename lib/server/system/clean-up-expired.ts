import { and, isNotNull, lt, or } from 'drizzle-orm';
import { apiTokens, rateLimits, sessions, triggerDeliveries } from '@/lib/adapters/db/schema';
import { recordAudit } from '../audit';
import type { Deps } from '../deps';

export interface CleanupResult {
  sessions: number;
  tokens: number;
  rateLimits: number;
  deliveries: number;
}

export interface CleanupOptions {
  /** Trigger deliveries older than this are deleted (and their delivery ids may then start a run again). */
  deliveryRetentionDays: number;
}

/** Housekeeping: drop expired sessions, tokens expired or revoked over a day ago, stale rate windows and old trigger deliveries. */
export async function cleanUpExpired(
  deps: Deps,
  options: CleanupOptions = { deliveryRetentionDays: 14 },
): Promise<CleanupResult> {
  const now = deps.now();
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const deletedSessions = await deps.db
    .delete(sessions)
    .where(lt(sessions.expiresAt, now))
    .returning({ id: sessions.id });
  const deletedTokens = await deps.db
    .delete(apiTokens)
    .where(or(and(isNotNull(apiTokens.expiresAt), lt(apiTokens.expiresAt, dayAgo)), lt(apiTokens.revokedAt, dayAgo)))
    .returning({ id: apiTokens.id });
  const deletedWindows = await deps.db
    .delete(rateLimits)
    .where(lt(rateLimits.windowStart, new Date(now.getTime() - 3_600_000)))
    .returning({ key: rateLimits.key });
  const deletedDeliveries = await deps.db
    .delete(triggerDeliveries)
    .where(lt(triggerDeliveries.receivedAt, new Date(now.getTime() - options.deliveryRetentionDays * 86_400_000)))
    .returning({ id: triggerDeliveries.id });
  const result = {
    sessions: deletedSessions.length,
    tokens: deletedTokens.length,
    rateLimits: deletedWindows.length,
    deliveries: deletedDeliveries.length,
  };
  await recordAudit(deps, { actor: 'system', action: 'housekeeping', result: 'success', details: { ...result } });
  return result;
}
