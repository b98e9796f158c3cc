import { isTokenUsable, isWellFormedApiToken } from '@/lib/domain/auth/api-token';
import type { Access } from '../access/ports';
import type { AuthDeps } from '../auth/ports';
import { principalOfUser } from '../auth/principal-of-user';
import type { Principal } from '../principal';
import { hashToken } from './token-hash';

/** Whether a project token's role still exists: removing the role (or the project) invalidates its tokens. */
async function roleExists(access: Pick<Access, 'project'>, project: string, role: string): Promise<boolean> {
  return ((await access.project(project))?.spec.roles ?? []).some((r) => r.name === role);
}

/**
 * Resolves a bearer token to its principal, or undefined when it is unknown, revoked or expired. A project
 * token acts as `proj:<project>:<role>` with no groups (never as the user who issued it), and only while the
 * project still has that role.
 */
export async function authenticateApiToken(
  deps: AuthDeps & { access: Pick<Access, 'project'> },
  token: string,
): Promise<Principal | undefined> {
  if (!isWellFormedApiToken(token)) return undefined;
  const row = await deps.auth.tokens.findByHash(hashToken(token));
  if (!row || row.user.disabled || !isTokenUsable(row.token, deps.now())) return undefined;
  const { project, role } = row.token;
  if ((project !== null || role !== null) && !(project && role && (await roleExists(deps.access, project, role))))
    return undefined;
  // Last-used is informational; a minute's precision is plenty and saves a write per request.
  const last = row.token.lastUsedAt?.getTime() ?? 0;
  if (deps.now().getTime() - last > 60_000) await deps.auth.tokens.touchLastUsed(row.token.id, deps.now());
  if (project && role)
    return {
      userId: row.user.id,
      username: `proj:${project}:${role}`,
      name: null,
      role: 'project-token',
      groups: [],
      via: 'project-token',
    };
  return principalOfUser(row.user, 'token');
}
