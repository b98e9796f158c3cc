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

/** Finds or creates the user behind an SSO identity and refreshes name, email and groups from the provider. */
export async function upsertSsoUser(deps: AuthDeps, identity: SsoIdentity, ip?: string): Promise<UserRow> {
  const linked = await deps.auth.users.findByAccount(identity.provider, identity.subject);
  const profile = {
    name: identity.name ?? null,
    email: identity.email ?? null,
    groups: identity.groups,
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
    details: { method: identity.provider },
  });
  return user;
}
