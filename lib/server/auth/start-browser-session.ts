import { sessions } from '@/lib/adapters/db/schema';
import type { Deps } from '../deps';

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
