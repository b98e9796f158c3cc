import { applyRetention, type RetentionOptions } from './apply-retention';
import type { HousekeepingDeps } from './ports';

export interface CleanupResult {
  sessions: number;
  tokens: number;
  rateLimits: number;
  deliveries: number;
  /** TaskRuns whose logs were removed by retention, log chunks deleted, runs deleted, run folders removed. */
  logsRemoved: number;
  logChunks: number;
  runsDeleted: number;
  folders: number;
}

export interface CleanupOptions {
  /** Trigger deliveries older than this are deleted (and their delivery ids may then start a run again). */
  deliveryRetentionDays: number;
  /** KEELSON_LOG_RETENTION_DAYS and KEELSON_RUN_RETENTION (default: logs 30 days, every run kept). */
  retention?: RetentionOptions;
}

/**
 * Housekeeping: drop expired sessions, tokens expired or revoked over a day ago, stale rate windows, old trigger
 * deliveries, logs past their retention and runs past theirs (never a run still going).
 */
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
    ...(await applyRetention(deps.retention, now, options.retention ?? { logRetentionDays: 30, run: {} })),
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
