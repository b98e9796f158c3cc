import type { TMe } from '@/lib/schemas/accounts';
import type { AccessDeps } from '../access/ports';
import type { Principal } from '../principal';
import { roleLinks, rolesOfUser } from './account-view';

/** GET /api/v1/me: the caller, its groups, and its roles: `policy.default` and those `g` lines give it. */
export async function whoAmI(deps: AccessDeps, principal: Principal): Promise<TMe> {
  const config = await deps.access.config();
  const roles = rolesOfUser(principal, roleLinks(config));
  const { userId, username, name, role, groups, via } = principal;
  return {
    userId,
    username,
    name,
    role,
    groups,
    via,
    roles: [...new Set([...(config.policyDefault ? [config.policyDefault] : []), ...roles])],
  };
}
