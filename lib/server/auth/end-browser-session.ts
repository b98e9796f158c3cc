import { eq } from 'drizzle-orm';
import { sessions, users } from '@/lib/adapters/db/schema';
import type { Deps } from '../deps';

/** Ends a browser session (logout); answers the username it belonged to, if it existed. */
export async function endBrowserSession(deps: Deps, sessionId: string): Promise<string | undefined> {
  const [row] = await deps.db.delete(sessions).where(eq(sessions.id, sessionId)).returning({ userId: sessions.userId });
  if (!row) return undefined;
  const [user] = await deps.db.select({ username: users.username }).from(users).where(eq(users.id, row.userId));
  return user?.username;
}
