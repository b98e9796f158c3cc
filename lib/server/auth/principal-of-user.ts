import { accountSourceOf } from '@/lib/domain/access/policy-subjects';
import type { Principal } from '../principal';
import type { UserRow } from './ports';

/**
 * The principal a user acts as through a browser session or their own API token. Every user principal is made
 * here, so `source` always says whether the username may be a policy subject (local) or not (SSO).
 */
export function principalOfUser(user: UserRow, via: 'session' | 'token'): Principal {
  const { id: userId, username, name, role, groups } = user;
  return { userId, username, name, role, groups, via, source: accountSourceOf(user.source) };
}
