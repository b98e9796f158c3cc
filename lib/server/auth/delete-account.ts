import { AppError } from '@/lib/errors';
import { auditBy } from '../audit/audit-via';
import type { Principal } from '../principal';
import { accountOrNotFound, type AccountDeps } from './account-view';

/** The local administrator every install has (lib/server/auth/ensure-admin-user.ts). */
export const BUILTIN_ADMIN = 'admin';

/**
 * Deletes an account with `accounts, update, <name>`: its browser sessions end and its API tokens stop working
 * at once (their rows go with the user); project tokens it issued pass to the built-in admin and keep working.
 * The built-in admin and the caller's own account cannot be deleted.
 */
export async function deleteAccount(deps: AccountDeps, principal: Principal, name: string, ip?: string): Promise<void> {
  await deps.access.authorize(principal, 'accounts', 'update', name);
  if (name === BUILTIN_ADMIN) {
    throw new AppError('BAD_REQUEST', 'The built-in admin account cannot be deleted.', {
      hint: 'Change its password instead, or take roles away from other accounts with argocd-rbac-cm `g` lines.',
    });
  }
  const { user, tokenCount } = await accountOrNotFound(deps, name);
  if (user.id === principal.userId || principal.username === name) {
    throw new AppError('BAD_REQUEST', 'You cannot delete your own account.', {
      hint: 'Ask another administrator to delete it.',
    });
  }
  await deps.auth.transaction(async (tx) => {
    const sessionsEnded = await tx.sessions.deleteAllOf(user.id);
    // Project tokens act as their project role, not as their issuer: they outlive the account (as in Argo CD).
    const admin = await tx.users.findByUsername(BUILTIN_ADMIN);
    const projectTokensHandedOver = admin ? await tx.users.handOverProjectTokens(user.id, admin.id) : 0;
    await tx.users.remove(user.id);
    await tx.audit.record({
      ...auditBy(principal),
      action: 'account.delete',
      target: `account/${name}`,
      result: 'success',
      ip,
      details: { source: user.source, sessionsEnded, tokensRevoked: tokenCount, projectTokensHandedOver },
    });
  });
}
