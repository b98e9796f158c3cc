import { eq } from 'drizzle-orm';
import { apiTokens, users } from '@/lib/adapters/db/schema';
import { isTokenUsable, isWellFormedApiToken } from '@/lib/domain/auth/api-token';
import type { Deps } from '../deps';
import type { Principal } from '../principal';
import { hashToken } from './token-hash';

/** Resolves a bearer token to its user, or undefined when it is unknown, revoked or expired. */
export async function authenticateApiToken(deps: Deps, token: string): Promise<Principal | undefined> {
  if (!isWellFormedApiToken(token)) return undefined;
  const [row] = await deps.db
    .select({ token: apiTokens, user: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, hashToken(token)));
  if (!row || row.user.disabled || !isTokenUsable(row.token, deps.now())) return undefined;
  // Last-used is informational; a minute's precision is plenty and saves a write per request.
  const last = row.token.lastUsedAt?.getTime() ?? 0;
  if (deps.now().getTime() - last > 60_000) {
    await deps.db.update(apiTokens).set({ lastUsedAt: deps.now() }).where(eq(apiTokens.id, row.token.id));
  }
  return {
    userId: row.user.id,
    username: row.user.username,
    name: row.user.name,
    role: row.user.role,
    groups: row.user.groups,
    via: 'token',
  };
}
