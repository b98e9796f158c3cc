import type { AuthDeps } from './ports';

/** A browser session lives in the database; the signed cookie only names it, so logout ends it for real. */
export async function startBrowserSession(
  deps: AuthDeps,
  userId: string,
  hours: number,
): Promise<{ id: string; expiresAt: Date }> {
  const expiresAt = new Date(deps.now().getTime() + hours * 3_600_000);
  const id = await deps.auth.sessions.insert({ userId, expiresAt, createdAt: deps.now() });
  return { id, expiresAt };
}
