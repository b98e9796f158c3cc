import { apiTokens } from '@/lib/adapters/db/schema';
import { displayPrefix } from '@/lib/domain/auth/api-token';
import type { TCreateTokenInput, TCreatedToken } from '@/lib/schemas/tokens';
import { recordAudit } from '../audit';
import type { Deps } from '../deps';
import type { Principal } from '../principal';
import { hashToken, newApiToken } from './token-hash';

/** Creates an API token for the caller. The token is returned this once; only its hash is kept. */
export async function createApiToken(
  deps: Deps,
  principal: Principal,
  input: TCreateTokenInput,
  ip?: string,
): Promise<TCreatedToken> {
  const token = newApiToken();
  const expiresAt = input.expiresInDays ? new Date(deps.now().getTime() + input.expiresInDays * 86_400_000) : null;
  const [row] = await deps.db
    .insert(apiTokens)
    .values({
      userId: principal.userId,
      name: input.name,
      prefix: displayPrefix(token),
      tokenHash: hashToken(token),
      expiresAt,
      createdAt: deps.now(),
    })
    .returning();
  await recordAudit(deps, {
    actor: principal.username,
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
