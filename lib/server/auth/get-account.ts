import type { TAccount } from '@/lib/schemas/accounts';
import type { Principal } from '../principal';
import { accountOrNotFound, isSelf, roleLinks, toAccount, type AccountDeps } from './account-view';

/** `argocd account get NAME`: one account, the caller's own or one it may `get`. */
export async function getAccount(deps: AccountDeps, principal: Principal, name: string): Promise<TAccount> {
  if (!isSelf(principal, name)) await deps.access.authorize(principal, 'accounts', 'get', name);
  const found = await accountOrNotFound(deps, name);
  return toAccount(found, roleLinks(await deps.access.config()));
}
