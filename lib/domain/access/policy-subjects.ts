import { LOCAL_ADMIN } from './admin-lockout';

/**
 * Where a user account comes from: `local` (a Keelson account, named by an administrator; names hold no `:`)
 * or `sso` (an identity provider's user, whose username comes from a claim the user may choose, such as
 * preferred_username).
 */
export type AccountSource = 'local' | 'sso';

/** The users table's `source` column: `local`, or the provider's id (`oidc`). */
export function accountSourceOf(column: string): AccountSource {
  return column === 'local' ? 'local' : 'sso';
}

export interface SubjectHolder {
  username: string;
  /** The values of the OIDC claims argocd-rbac-cm's `scopes` names (SSO users); none for local accounts. */
  groups: readonly string[];
  /** Absent for identities that are no user account (project tokens, trigger service accounts, the controller). */
  source?: AccountSource;
}

/**
 * The subjects a user is known as to the policy. An SSO user: exactly their scope values (groups; the email
 * too with `scopes: [groups, email]`), never their username, which they chose at the IdP and which could
 * equal a group, a deleted local account's name or any other subject; and never a `role:…`, `proj:…` or
 * `admin` group, even one stored by a login before such groups were dropped (screenScopeValues). Anyone else:
 * the username (a local account, or `proj:<project>:<role>`), then the groups. `policy.default` is added by
 * the engine.
 */
export function policySubjects(holder: SubjectHolder): string[] {
  const subjects =
    holder.source === 'sso'
      ? screenScopeValues(holder.groups, [LOCAL_ADMIN]).kept
      : [holder.username, ...holder.groups];
  return [...new Set(subjects)].filter((s) => s !== '');
}

/** Prefixes of Keelson's own subjects: roles and project roles. */
const RESERVED_PREFIXES = ['role:', 'proj:'];

/**
 * Screens an SSO login's scope values: a group named like a role (`role:admin`), a project role
 * (`proj:team-a:dev`) or a local account (`admin`, and every name in `localAccounts`) would be granted what
 * the policy gives that subject with no mapping at all, so it is dropped (and reported, for the audit row).
 */
export function screenScopeValues(
  values: readonly string[],
  localAccounts: Iterable<string>,
): { kept: string[]; dropped: string[] } {
  const accounts = new Set(localAccounts);
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const value of values) {
    const reserved = accounts.has(value) || RESERVED_PREFIXES.some((p) => value.startsWith(p));
    (reserved ? dropped : kept).push(value);
  }
  return { kept, dropped };
}
