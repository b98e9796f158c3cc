import { AppError } from '@/lib/errors';
import type { TAccount, TCreateAccount } from '@/lib/schemas/accounts';
import { auditBy } from '../audit/audit-via';
import type { Principal } from '../principal';
import { roleLinks, toAccount, type AccountDeps } from './account-view';
import { hashPassword } from './passwords';

/**
 * Creates a local account (Argo CD keeps them in argocd-cm; here they are rows). It gets no role of its own:
 * `policy.default`, and whatever `g, <name>, <role>` lines of argocd-rbac-cm name it. Needs `accounts, update, <name>`.
 */
export async function createAccount(
  deps: AccountDeps,
  principal: Principal,
  input: TCreateAccount,
  ip?: string,
): Promise<TAccount> {
  await deps.access.authorize(principal, 'accounts', 'update', input.name);
  const passwordHash = await hashPassword(input.password);
  const created = await deps.auth.transaction(async (tx) => {
    const row = await tx.users.insertIfAbsent({
      username: input.name,
      name: input.displayName || null,
      role: 'user',
      source: 'local',
      passwordHash,
    });
    if (row) {
      await tx.audit.record({
        ...auditBy(principal),
        action: 'account.create',
        target: `account/${input.name}`,
        result: 'success',
        ip,
      });
    }
    return row;
  });
  if (!created) {
    throw new AppError('CONFLICT', `An account named ${input.name} already exists.`, {
      issues: [{ path: 'name', message: 'this name is taken' }],
      hint: 'Pick another name, or change its password with `keelson account update-password --account NAME`.',
    });
  }
  return toAccount({ user: created, tokenCount: 0 }, roleLinks(await deps.access.config()));
}
