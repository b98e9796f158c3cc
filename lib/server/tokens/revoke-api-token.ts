import { and, eq, isNull } from 'drizzle-orm';
import { apiTokens } from '@/lib/adapters/db/schema';
import { AppError } from '@/lib/errors';
import { recordAudit, type AuditEntry } from '../audit';
import type { Deps } from '../deps';
import type { Principal } from '../principal';

/** Revokes one of the caller's tokens; it stops working at once. */
export async function revokeApiToken(deps: Deps, principal: Principal, id: string, ip?: string): Promise<void> {
  const audit = (result: AuditEntry['result']) =>
    recordAudit(deps, { actor: principal.username, action: 'token.revoke', target: `token/${id}`, result, ip });
  const revoked = await deps.db
    .update(apiTokens)
    .set({ revokedAt: deps.now() })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, principal.userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  if (revoked.length === 0) {
    await audit('failure');
    throw new AppError('NOT_FOUND', `No active token with id ${id}. List your tokens with GET /api/v1/tokens.`);
  }
  await audit('success');
}
