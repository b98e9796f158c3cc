import { displayPrefix } from '@/lib/domain/auth/api-token';
import type { TCreateTokenInput, TCreatedToken } from '@/lib/schemas/tokens';
import type { AuthDeps } from '../auth/ports';
import type { Principal } from '../principal';
import { assertUserCaller } from './assert-user-caller';
import { hashToken, newApiToken } from './token-hash';
import { auditBy } from '../audit/audit-via';

/** Creates an API token for the caller. The token is returned this once; only its hash is kept. */
export async function createApiToken(
  deps: AuthDeps,
  principal: Principal,
  input: TCreateTokenInput,
  ip?: string,
): Promise<TCreatedToken> {
  assertUserCaller(principal);
  const token = newApiToken();
  const expiresAt = input.expiresInDays ? new Date(deps.now().getTime() + input.expiresInDays * 86_400_000) : null;
  const row = await deps.auth.tokens.insert({
    userId: principal.userId,
    name: input.name,
    prefix: displayPrefix(token),
    tokenHash: hashToken(token),
    expiresAt,
    createdAt: deps.now(),
  });
  await deps.auth.audit.record({
    ...auditBy(principal),
    action: 'token.create',
    target: `token/${row.id}`,
    result: 'success',
    ip,
    details: { name: input.name },
  });
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: null,
    token,
  };
}
