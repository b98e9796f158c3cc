import { and, eq, gt } from 'drizzle-orm';
import { sessions, users } from '@/lib/adapters/db/schema';
import type { Deps } from '../deps';
import type { Principal } from '../principal';

/** A browser session lives in the database; the signed cookie only names it, so logout ends it for real. */
export async function startBrowserSession(
  deps: Deps,
  userId: string,
  hours: number,
): Promise<{ id: string; expiresAt: Date }> {
  const expiresAt = new Date(deps.now().getTime() + hours * 3_600_000);
  const [row] = await deps.db.insert(sessions).values({ userId, expiresAt, createdAt: deps.now() }).returning();
  return { id: row.id, expiresAt };
}

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

export async function endBrowserSession(deps: Deps, sessionId: string): Promise<string | undefined> {
  const [row] = await deps.db.delete(sessions).where(eq(sessions.id, sessionId)).returning({ userId: sessions.userId });
  if (!row) return undefined;
  const [user] = await deps.db.select({ username: users.username }).from(users).where(eq(users.id, row.userId));
  return user?.username;
}
