import type { TAccountList } from '@/lib/schemas/accounts';
import type { Principal } from '../principal';
import { roleLinks, toAccount, type AccountDeps } from './account-view';

/** `argocd account list`: the accounts the caller may `get` (local and SSO), with the roles `g` lines give them. */
export async function listAccounts(deps: AccountDeps, principal: Principal): Promise<TAccountList> {
  const rows = await deps.auth.users.withTokenCounts();
  const permitted = await deps.access.filter(principal, 'accounts', 'get', rows, (r) => r.user.username);
  const config = await deps.access.config();
  const links = roleLinks(config);
  return { items: permitted.map((r) => toAccount(r, links)), defaultRole: config.policyDefault };
}
