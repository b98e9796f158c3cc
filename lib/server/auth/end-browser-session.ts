import type { AuthDeps } from './ports';

/** Ends a browser session (logout); answers the username it belonged to, if it existed. */
export async function endBrowserSession(deps: AuthDeps, sessionId: string): Promise<string | undefined> {
  const userId = await deps.auth.sessions.delete(sessionId);
  if (!userId) return undefined;
  return deps.auth.users.usernameOf(userId);
}
