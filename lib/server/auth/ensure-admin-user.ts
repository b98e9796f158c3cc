import { hashPassword, randomPassword, verifyPassword } from './passwords';
import type { AuthDeps } from './ports';

export type AdminOutcome =
  { kind: 'created'; password: string; generated: boolean } | { kind: 'updated-from-env' } | { kind: 'unchanged' };

/**
 * Creates the local `admin` user on first start. Without an override its password is random and returned
 * so the caller can print it once; `KEELSON_ADMIN_PASSWORD` sets (and later resets) it instead.
 */
export async function ensureAdminUser(deps: AuthDeps, overridePassword?: string): Promise<AdminOutcome> {
  const existing = await deps.auth.users.findByUsername('admin');
  if (!existing) {
    const password = overridePassword ?? randomPassword();
    const inserted = await deps.auth.users.insertIfAbsent({
      username: 'admin',
      name: 'Administrator',
      role: 'admin',
      source: 'local',
      passwordHash: await hashPassword(password),
    });
    // Another process won the race: it created the admin and printed the password.
    if (!inserted) return { kind: 'unchanged' };
    return { kind: 'created', password, generated: overridePassword === undefined };
  }
  if (overridePassword && !(await verifyPassword(overridePassword, existing.passwordHash))) {
    await deps.auth.users.setPasswordHash(existing.id, await hashPassword(overridePassword));
    return { kind: 'updated-from-env' };
  }
  return { kind: 'unchanged' };
}
