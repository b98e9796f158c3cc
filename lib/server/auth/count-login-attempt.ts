import { decideRateLimit } from '@/lib/domain/auth/rate-limit';
import { AppError } from '@/lib/errors';
import type { AuthDeps } from './ports';

const WINDOW_MS = 60_000;

/** Allowed per minute: every attempt from one IP, and failed attempts against one username. */
export interface LoginLimits {
  perIp: number;
  perUser: number;
}

const userKey = (username: string) => `user:${username.toLowerCase()}`;

/** Moves a counter on by one (or only reads it) under a row lock; returns seconds to wait when over the limit. */
async function touch(deps: AuthDeps, key: string, limit: number, increment: boolean): Promise<number | undefined> {
  return deps.auth.transaction(async (tx) => {
    const row = await tx.loginAttempts.lock(key, deps.now());
    const decision = decideRateLimit(row, deps.now(), limit, WINDOW_MS);
    if (increment) await tx.loginAttempts.save(key, decision.next);
    return decision.allowed ? undefined : decision.retryAfterSeconds;
  });
}

/**
 * Call before checking a password: counts the attempt against the caller's IP, and refuses when
 * either the IP or the username is over its limit. Successful logins never lock a user out.
 */
export async function countLoginAttempt(
  deps: AuthDeps,
  input: { ip: string; username: string; limit: LoginLimits },
): Promise<void> {
  const retryAfterSeconds =
    (await touch(deps, `ip:${input.ip}`, input.limit.perIp, true)) ??
    (await touch(deps, userKey(input.username), input.limit.perUser, false));
  if (retryAfterSeconds === undefined) return;
  await deps.auth.audit.record({
    actor: input.username,
    action: 'login',
    result: 'failure',
    ip: input.ip,
    details: { reason: 'rate-limited' },
  });
  throw new AppError('RATE_LIMITED', `Too many login attempts. Wait ${retryAfterSeconds} seconds and try again.`, {
    retryAfterSeconds,
  });
}

/** Call after a wrong password: the failure counts against the username. */
export async function countLoginFailure(deps: AuthDeps, username: string): Promise<void> {
  await touch(deps, userKey(username), Number.MAX_SAFE_INTEGER, true);
}
