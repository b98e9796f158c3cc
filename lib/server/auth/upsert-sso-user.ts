import { and, eq } from 'drizzle-orm';
import { accounts, users, type UserRow } from '@/lib/adapters/db/schema';
import { recordAudit } from '../audit';
import type { Deps } from '../deps';

export interface SsoIdentity {
  provider: string;
  subject: string;
  preferredUsername?: string;
  email?: string;
  name?: string;
  groups: string[];
}

async function freeUsername(deps: Deps, wanted: string): Promise<string> {
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? wanted : `${wanted}-${n}`;
    const [taken] = await deps.db.select({ id: users.id }).from(users).where(eq(users.username, candidate));
    if (!taken) return candidate;
  }
}

/** Finds or creates the user behind an SSO identity and refreshes name, email and groups from the provider. */
export async function upsertSsoUser(deps: Deps, identity: SsoIdentity, ip?: string): Promise<UserRow> {
  const [linked] = await deps.db
    .select({ user: users })
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.userId))
    .where(and(eq(accounts.provider, identity.provider), eq(accounts.providerAccountId, identity.subject)));
  const profile = {
    name: identity.name ?? null,
    email: identity.email ?? null,
    groups: identity.groups,
    lastLoginAt: deps.now(),
  };
  let user: UserRow;
  if (linked) {
    [user] = await deps.db.update(users).set(profile).where(eq(users.id, linked.user.id)).returning();
  } else {
    const wanted = identity.preferredUsername ?? identity.email ?? `${identity.provider}-${identity.subject}`;
    user = await deps.db.transaction(async (tx) => {
      const username = await freeUsername({ ...deps, db: tx }, wanted);
      const [created] = await tx
        .insert(users)
        .values({ username, source: identity.provider, role: 'user', ...profile })
        .returning();
      await tx
        .insert(accounts)
        .values({ userId: created.id, provider: identity.provider, providerAccountId: identity.subject });
      return created;
    });
  }
  await recordAudit(deps, {
    actor: user.username,
    action: 'login',
    result: 'success',
    ip,
    details: { method: identity.provider },
  });
  return user;
}
