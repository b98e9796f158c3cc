import { and, eq, gt } from 'drizzle-orm';
import { sessions, users } from '@/lib/adapters/db/schema';
import type { Deps } from '../deps';
import type { Principal } from '../principal';

/** The principal of a live browser session (not expired, user not disabled). */
export async function resolveBrowserSession(deps: Deps, sessionId: string): Promise<Principal | undefined> {
  const [row] = await deps.db
    .select({ user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), gt(sessions.expiresAt, deps.now())));
  if (!row || row.user.disabled) return undefined;
  const u = row.user;
  return { userId: u.id, username: u.username, name: u.name, role: u.role, groups: u.groups, via: 'session' };
}
