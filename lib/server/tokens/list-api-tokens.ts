import type { TApiToken } from '@/lib/schemas/tokens';
import type { AuthDeps } from '../auth/ports';
import type { Principal } from '../principal';
import { assertUserCaller } from './assert-user-caller';

/** The caller's tokens that are not revoked, newest first. */
export async function listApiTokens(deps: AuthDeps, principal: Principal): Promise<TApiToken[]> {
  assertUserCaller(principal);
  const rows = await deps.auth.tokens.activeOf(principal.userId);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt?.toISOString() ?? null,
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  }));
}
