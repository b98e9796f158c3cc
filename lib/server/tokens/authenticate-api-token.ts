import { isTokenUsable, isWellFormedApiToken } from '@/lib/domain/auth/api-token';
import type { AuthDeps } from '../auth/ports';
import type { Principal } from '../principal';
import { hashToken } from './token-hash';

/** Resolves a bearer token to its user, or undefined when it is unknown, revoked or expired. */
export async function authenticateApiToken(deps: AuthDeps, token: string): Promise<Principal | undefined> {
  if (!isWellFormedApiToken(token)) return undefined;
  const row = await deps.auth.tokens.findByHash(hashToken(token));
  if (!row || row.user.disabled || !isTokenUsable(row.token, deps.now())) return undefined;
  // Last-used is informational; a minute's precision is plenty and saves a write per request.
  const last = row.token.lastUsedAt?.getTime() ?? 0;
  if (deps.now().getTime() - last > 60_000) await deps.auth.tokens.touchLastUsed(row.token.id, deps.now());
  return {
    userId: row.user.id,
    username: row.user.username,
    name: row.user.name,
    role: row.user.role,
    groups: row.user.groups,
    via: 'token',
  };
}
