import type { Principal } from '../principal';
import type { AuthDeps } from './ports';
import { principalOfUser } from './principal-of-user';

/** The principal of a live browser session (not expired, user not disabled). */
export async function resolveBrowserSession(deps: AuthDeps, sessionId: string): Promise<Principal | undefined> {
  const u = await deps.auth.sessions.liveUser(sessionId, deps.now());
  if (!u || u.disabled) return undefined;
  return principalOfUser(u, 'session');
}
