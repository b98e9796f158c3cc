import type { Principal } from '../principal';
import type { AuthDeps } from './ports';

/** The principal of a live browser session (not expired, user not disabled). */
export async function resolveBrowserSession(deps: AuthDeps, sessionId: string): Promise<Principal | undefined> {
  const u = await deps.auth.sessions.liveUser(sessionId, deps.now());
  if (!u || u.disabled) return undefined;
  return { userId: u.id, username: u.username, name: u.name, role: u.role, groups: u.groups, via: 'session' };
}
