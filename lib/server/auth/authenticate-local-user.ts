import { eq } from 'drizzle-orm';
import { users, type UserRow } from '@/lib/adapters/db/schema';
import { AppError } from '@/lib/errors';
import { recordAudit, type AuditEntry } from '../audit';
import type { Deps } from '../deps';
import { countLoginAttempt, countLoginFailure, type LoginLimits } from './count-login-attempt';
import { verifyPassword } from './passwords';

export interface LocalLogin {
  username: string;
  password: string;
  ip: string;
  /** Attempts allowed per minute per IP and per user; every attempt is counted here, whoever calls. */
  rateLimit: LoginLimits;
}

/** Checks a local username and password. Failures never say which part was wrong. */
export async function authenticateLocalUser(deps: Deps, input: LocalLogin): Promise<UserRow> {
  const audit = (actor: string, result: AuditEntry['result']) =>
    recordAudit(deps, { actor, action: 'login', result, ip: input.ip, details: { method: 'local' } });
  await countLoginAttempt(deps, { ip: input.ip, username: input.username, limit: input.rateLimit });
  const [user] = await deps.db.select().from(users).where(eq(users.username, input.username));
  const ok = await verifyPassword(input.password, user?.passwordHash);
  if (!user || !ok || user.disabled) {
    await countLoginFailure(deps, input.username);
    await audit(input.username, 'failure');
    throw new AppError('UNAUTHENTICATED', 'Invalid credentials.');
  }
  await deps.db.update(users).set({ lastLoginAt: deps.now() }).where(eq(users.id, user.id));
  await audit(user.username, 'success');
  return user;
}
