import type { HousekeepingDeps } from './ports';

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
  deps: HousekeepingDeps,
  options: CleanupOptions = { deliveryRetentionDays: 14 },
): Promise<CleanupResult> {
  const now = deps.now();
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const result = {
    sessions: await deps.expired.deleteSessions(now),
    tokens: await deps.expired.deleteTokens(dayAgo),
    rateLimits: await deps.expired.deleteRateWindows(new Date(now.getTime() - 3_600_000)),
    deliveries: await deps.expired.deleteDeliveries(
      new Date(now.getTime() - options.deliveryRetentionDays * 86_400_000),
    ),
  };
  await deps.audit.record({
    actor: 'system',
    via: 'system',
    action: 'housekeeping',
    result: 'success',
    details: { ...result },
  });
  return result;
}
