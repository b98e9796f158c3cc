import type { TAccount } from '@/lib/schemas/accounts';
import type { Principal } from '../principal';
import { accountOrNotFound, roleLinks, toAccount, type AccountDeps } from './account-view';

/** `argocd account get NAME`: one account, when the caller may `get` it. */
export async function getAccount(deps: AccountDeps, principal: Principal, name: string): Promise<TAccount> {
  await deps.access.authorize(principal, 'accounts', 'get', name);
  const found = await accountOrNotFound(deps, name);
  return toAccount(found, roleLinks(await deps.access.config()));
}
