import { screenScopeValues } from '@/lib/domain/access/policy-subjects';
import { builtinPolicy } from '@/lib/domain/access/rbac-config';
import type { AuthDeps, UserRow, UserStore } from './ports';

export interface SsoIdentity {
  provider: string;
  subject: string;
  preferredUsername?: string;
  email?: string;
  name?: string;
  groups: string[];
}

/**
 * A username from what the provider says: characters other than letters, digits and `.`, `_`, `-`, `@`, `+`
 * become `-`, so it can never be a policy subject such as `role:admin` or `proj:team:role`.
 */
export function ssoUsername(wanted: string): string {
  return wanted.replace(/[^A-Za-z0-9._@+-]/g, '-').slice(0, 200) || 'sso-user';
}

async function freeUsername(users: UserStore, wanted: string): Promise<string> {
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? wanted : `${wanted}-${n}`;
    if (!(await users.findByUsername(candidate))) return candidate;
  }
}

/**
 * The scope values that may be subjects: not `role:…`, `proj:…`, the built-in admin or any local account's
 * name, which the policy would otherwise grant to whoever the IdP puts in a group so named.
 */
async function screenGroups(users: UserStore, groups: readonly string[]) {
  // The built-in `g, admin, role:admin` names `admin` even when no such account exists.
  const builtinSubjects = builtinPolicy().links.map((l) => l.subject);
  return screenScopeValues(groups, [...builtinSubjects, ...(await users.localUsernames(groups))]);
}

/**
 * Finds or creates the user behind an SSO identity and refreshes name, email and groups from the provider.
 * The username is for display and audit only (never a policy subject); a new user never takes a name in use.
 */
export async function upsertSsoUser(deps: AuthDeps, identity: SsoIdentity, ip?: string): Promise<UserRow> {
  const linked = await deps.auth.users.findByAccount(identity.provider, identity.subject);
  const { kept, dropped } = await screenGroups(deps.auth.users, identity.groups);
  const profile = {
    name: identity.name ?? null,
    email: identity.email ?? null,
    groups: kept,
    lastLoginAt: deps.now(),
  };
  let user: UserRow;
  if (linked) {
    user = await deps.auth.users.updateProfile(linked.id, profile);
  } else {
    const wanted = identity.preferredUsername ?? identity.email ?? `${identity.provider}-${identity.subject}`;
    user = await deps.auth.transaction(async (tx) => {
      const username = await freeUsername(tx.users, ssoUsername(wanted));
      const created = await tx.users.insert({ username, source: identity.provider, role: 'user', ...profile });
      await tx.users.linkAccount(created.id, identity.provider, identity.subject);
      return created;
    });
  }
  await deps.auth.audit.record({
    actor: user.username,
    action: 'login',
    result: 'success',
    via: 'ui',
    ip,
    details: { method: identity.provider, ...(dropped.length > 0 ? { droppedGroups: dropped } : {}) },
  });
  return user;
}
