import { and, desc, eq, isNull } from 'drizzle-orm';
import { apiTokens } from '@/lib/adapters/db/schema';
import type { TApiToken } from '@/lib/schemas/tokens';
import type { Deps } from '../deps';
import type { Principal } from '../principal';

/** The caller's tokens that are not revoked, newest first. */
export async function listApiTokens(deps: Deps, principal: Principal): Promise<TApiToken[]> {
  const rows = await deps.db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, principal.userId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt?.toISOString() ?? null,
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  }));
}
