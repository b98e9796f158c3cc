import { eq } from 'drizzle-orm';
import { rateLimits } from '@/lib/adapters/db/schema';
import { decideRateLimit } from '@/lib/domain/auth/rate-limit';
import { AppError } from '@/lib/errors';
import { recordAudit } from '../audit';
import type { Deps } from '../deps';

const WINDOW_MS = 60_000;

async function consume(deps: Deps, key: string, limit: number): Promise<number | undefined> {
  return deps.db.transaction(async (tx) => {
    // Make sure the row exists, then lock it, so concurrent attempts count one by one.
    await tx.insert(rateLimits).values({ key, windowStart: deps.now(), count: 0 }).onConflictDoNothing();
    const [row] = await tx.select().from(rateLimits).where(eq(rateLimits.key, key)).for('update');
    const decision = decideRateLimit(row, deps.now(), limit, WINDOW_MS);
    await tx.update(rateLimits).set(decision.next).where(eq(rateLimits.key, key));
    return decision.allowed ? undefined : decision.retryAfterSeconds;
  });
}

/** Counts one login attempt against the caller's IP and the named user; refuses past `limit` a minute. */
export async function countLoginAttempt(deps: Deps, input: { ip: string; username: string; limit: number }): Promise<void> {
  const keys = [`ip:${input.ip}`, `user:${input.username.toLowerCase()}`];
  for (const key of keys) {
    const retryAfterSeconds = await consume(deps, key, input.limit);
    if (retryAfterSeconds !== undefined) {
      await recordAudit(deps, { actor: input.username, action: 'login', result: 'failure', ip: input.ip, details: { reason: 'rate-limited' } });
      throw new AppError('RATE_LIMITED', `Too many login attempts. Wait ${retryAfterSeconds} seconds and try again.`, {
        retryAfterSeconds,
      });
    }
  }
}
