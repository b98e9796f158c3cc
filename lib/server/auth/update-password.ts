import { AppError } from '@/lib/errors';
import type { TUpdatePassword } from '@/lib/schemas/accounts';
import { auditBy } from '../audit/audit-via';
import type { Principal } from '../principal';
import { accountOrNotFound, isSelf, type AccountDeps } from './account-view';
import { hashPassword, verifyPassword } from './passwords';

/**
 * `argocd account update-password`: your own password with your current one (no permission needed), or
 * another account's with `accounts, update, <name>` (its browser sessions end: whoever knew the old one is out).
 */
export async function updatePassword(
  deps: AccountDeps,
  principal: Principal,
  name: string,
  input: TUpdatePassword,
  ip?: string,
): Promise<void> {
  const self = isSelf(principal, name);
  if (!self) await deps.access.authorize(principal, 'accounts', 'update', name);
  const { user } = await accountOrNotFound(deps, name);
  const target = `account/${name}`;
  if (user.source !== 'local') {
    throw new AppError('BAD_REQUEST', `${name} signs in through ${user.source}; it has no Keelson password.`, {
      hint: 'Change the password at the identity provider.',
    });
  }
  if (self) {
    if (!input.currentPassword) {
      throw new AppError('BAD_REQUEST', 'Invalid request body: currentPassword: enter your current password.', {
        issues: [{ path: 'currentPassword', message: 'enter your current password' }],
      });
    }
    if (user.id !== principal.userId || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
      await deps.auth.audit.record({
        ...auditBy(principal),
        action: 'account.update-password',
        target,
        result: 'failure',
        ip,
        details: { reason: 'current password does not match' },
      });
      throw new AppError('BAD_REQUEST', 'The current password does not match.', {
        issues: [{ path: 'currentPassword', message: 'does not match' }],
      });
    }
  }
  const passwordHash = await hashPassword(input.newPassword);
  await deps.auth.transaction(async (tx) => {
    await tx.users.setPasswordHash(user.id, passwordHash);
    const sessionsEnded = self ? 0 : await tx.sessions.deleteAllOf(user.id);
    await tx.audit.record({
      ...auditBy(principal),
      action: 'account.update-password',
      target,
      result: 'success',
      ip,
      details: { self, sessionsEnded },
    });
  });
}
