import { AppError } from '@/lib/errors';
import type { AuditEntry } from '../audit';
import type { PrincipalClient } from '../principal';
import { countLoginAttempt, countLoginFailure, type LoginLimits } from './count-login-attempt';
import { verifyPassword } from './passwords';
import type { AuthDeps, UserRow } from './ports';

export interface LocalLogin {
  username: string;
  password: string;
  ip: string;
  /** Attempts allowed per minute per IP and per user; every attempt is counted here, whoever calls. */
  rateLimit: LoginLimits;
  /** Where the login came from (the login page, the API or the keelson CLI): the audit row's `via`. */
  client?: PrincipalClient;
}

/** Checks a local username and password. Failures never say which part was wrong. */
export async function authenticateLocalUser(deps: AuthDeps, input: LocalLogin): Promise<UserRow> {
  const audit = (actor: string, result: AuditEntry['result']) =>
    deps.auth.audit.record({
      actor,
      action: 'login',
      result,
      ip: input.ip,
      ...(input.client ? { via: input.client } : {}),
      details: { method: 'local' },
    });
  await countLoginAttempt(deps, { ip: input.ip, username: input.username, limit: input.rateLimit });
  const user = await deps.auth.users.findByUsername(input.username);
  const ok = await verifyPassword(input.password, user?.passwordHash);
  if (!user || !ok || user.disabled) {
    await countLoginFailure(deps, input.username);
    await audit(input.username, 'failure');
    throw new AppError('UNAUTHENTICATED', 'Invalid credentials.');
  }
  await deps.auth.users.recordLogin(user.id, deps.now());
  await audit(user.username, 'success');
  return user;
}
