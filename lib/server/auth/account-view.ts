import type { RoleLink } from '@/lib/domain/access/policy-csv';
import { accountSourceOf, policySubjects, type SubjectHolder } from '@/lib/domain/access/policy-subjects';
import { builtinPolicy, type RbacConfig } from '@/lib/domain/access/rbac-config';
import { rolesOfSubjects } from '@/lib/domain/access/subject-roles';
import type { TAccount } from '@/lib/schemas/accounts';
import { AppError } from '@/lib/errors';
import type { AccessDeps } from '../access/ports';
import type { Principal } from '../principal';
import type { AuthDeps, UserWithTokens } from './ports';

/** What the account use cases need: the auth stores, the clock and the access checks. */
export type AccountDeps = AuthDeps & AccessDeps;

/**
 * A user acting on their own account (not a project token or a service acting as a role). As Argo CD's
 * ensureHasAccountPermission: an account always has full access to itself.
 */
export function isSelf(principal: Principal, name: string): boolean {
  return principal.username === name && (principal.via === 'session' || principal.via === 'token');
}

/** The `g` lines of the effective policy: the built-in ones (`g, admin, role:admin`…) and argocd-rbac-cm's. */
export function roleLinks(config: RbacConfig): RoleLink[] {
  return [...builtinPolicy().links, ...config.policy.links];
}

/** The roles a user gets from those lines, by the subjects the policy knows it as (an SSO user: its groups only). */
export function rolesOfUser(user: SubjectHolder, links: readonly RoleLink[]): string[] {
  return rolesOfSubjects(policySubjects(user), links);
}

export function toAccount({ user, tokenCount }: UserWithTokens, links: readonly RoleLink[]): TAccount {
  return {
    name: user.username,
    displayName: user.name,
    source: user.source,
    groups: user.groups,
    disabled: user.disabled,
    createdAt: user.createdAt.toISOString(),
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    tokenCount,
    roles: rolesOfUser({ ...user, source: accountSourceOf(user.source) }, links),
  };
}

/** The account, or 404 (asked only after the caller was allowed to see or change that name). */
export async function accountOrNotFound(deps: AuthDeps, name: string): Promise<UserWithTokens> {
  const [found] = await deps.auth.users.withTokenCounts(name);
  if (!found) {
    throw new AppError('NOT_FOUND', `No account named ${name}.`, {
      hint: 'List the accounts with `keelson account list` or GET /api/v1/accounts.',
    });
  }
  return found;
}
