import type { Boss } from '@/lib/adapters/queue/boss';
import { QUEUES } from '@/lib/adapters/queue/boss';
import { cleanUpExpired, type CleanupOptions } from '@/lib/server/system/clean-up-expired';
import type { HousekeepingDeps } from '@/lib/server/system/ports';

/** Schedules housekeeping with pg-boss's cron and registers the handler that runs it. */
export async function registerHousekeeping(
  boss: Boss,
  deps: HousekeepingDeps,
  cron: string,
  options?: CleanupOptions,
): Promise<void> {
  await boss.schedule(QUEUES.housekeeping, cron, {}, { tz: 'UTC' });
  await boss.work(QUEUES.housekeeping, { pollingIntervalSeconds: 1 }, async () => cleanUpExpired(deps, options));
}
