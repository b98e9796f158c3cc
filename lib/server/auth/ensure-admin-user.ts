import { eq } from 'drizzle-orm';
import { users } from '@/lib/adapters/db/schema';
import type { Deps } from '../deps';
import { hashPassword, randomPassword, verifyPassword } from './passwords';

export type AdminOutcome =
  { kind: 'created'; password: string; generated: boolean } | { kind: 'updated-from-env' } | { kind: 'unchanged' };

/**
 * Creates the local `admin` user on first start. Without an override its password is random and returned
 * so the caller can print it once; `KEELSON_ADMIN_PASSWORD` sets (and later resets) it instead.
 */
export async function ensureAdminUser(deps: Deps, overridePassword?: string): Promise<AdminOutcome> {
  const [existing] = await deps.db.select().from(users).where(eq(users.username, 'admin'));
  if (!existing) {
    const password = overridePassword ?? randomPassword();
    const inserted = await deps.db
      .insert(users)
      .values({
        username: 'admin',
        name: 'Administrator',
        role: 'admin',
        source: 'local',
        passwordHash: await hashPassword(password),
      })
      .onConflictDoNothing()
      .returning({ id: users.id });
    // Another process won the race: it created the admin and printed the password.
    if (inserted.length === 0) return { kind: 'unchanged' };
    return { kind: 'created', password, generated: overridePassword === undefined };
  }
  if (overridePassword && !(await verifyPassword(overridePassword, existing.passwordHash))) {
    await deps.db
      .update(users)
      .set({ passwordHash: await hashPassword(overridePassword) })
      .where(eq(users.id, existing.id));
    return { kind: 'updated-from-env' };
  }
  return { kind: 'unchanged' };
}
