import { AppError } from '@/lib/errors';
import type { AuditEntry } from '../audit';
import type { AuthDeps } from '../auth/ports';
import type { Principal } from '../principal';
import { assertUserCaller } from './assert-user-caller';
import { auditBy } from '../audit/audit-via';

/** Revokes one of the caller's tokens; it stops working at once. */
export async function revokeApiToken(deps: AuthDeps, principal: Principal, id: string, ip?: string): Promise<void> {
  assertUserCaller(principal);
  const audit = (result: AuditEntry['result']) =>
    deps.auth.audit.record({ ...auditBy(principal), action: 'token.revoke', target: `token/${id}`, result, ip });
  if (!(await deps.auth.tokens.revoke(id, principal.userId, deps.now()))) {
    await audit('failure');
    throw new AppError('NOT_FOUND', `No active token with id ${id}. List your tokens with GET /api/v1/tokens.`);
  }
  await audit('success');
}
