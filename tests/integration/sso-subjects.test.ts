import { and, eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditLog } from '../../lib/adapters/db/schema';
import { createAccount } from '../../lib/server/auth/create-account';
import { deleteAccount } from '../../lib/server/auth/delete-account';
import { ensureAdminUser } from '../../lib/server/auth/ensure-admin-user';
import { listAccounts } from '../../lib/server/auth/list-accounts';
import { resolveBrowserSession } from '../../lib/server/auth/resolve-browser-session';
import { ssoIdentityFromProfile } from '../../lib/server/auth/sso-identity-from-profile';
import { startBrowserSession } from '../../lib/server/auth/start-browser-session';
import { upsertSsoUser } from '../../lib/server/auth/upsert-sso-user';
import { whoAmI } from '../../lib/server/auth/who-am-i';
import type { Resource } from '../../lib/domain/access/vocabulary';
import type { Principal } from '../../lib/server/principal';
import { authenticateApiToken } from '../../lib/server/tokens/authenticate-api-token';
import { createApiToken } from '../../lib/server/tokens/create-api-token';
import { admin } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';

/**
 * Security review: an SSO user chooses preferred_username at the IdP, so their username is not a policy
 * subject (only the values of the claims `scopes` names are), and IdP groups that look like Keelson subjects
 * (`role:…`, `proj:…`, a local account's name) are dropped at login.
 */
let t: TestDatabase;
beforeAll(async () => {
  t = await testDatabase();
  await ensureAdminUser(t.deps(), 'admin-password-1');
});

const rbac = (data: Record<string, string>) => t.deps().accessStores.rbac.put(data, 'test');
beforeEach(() => rbac({ 'policy.default': 'role:readonly' }));

/** A login through the provider, then both ways its user acts: a browser session and an API token. */
async function ssoLogin(subject: string, claims: Record<string, unknown>): Promise<Principal[]> {
  const { scopes } = await t.deps().access.config();
  const user = await upsertSsoUser(t.deps(), ssoIdentityFromProfile('oidc', subject, claims, scopes));
  const session = await resolveBrowserSession(t.deps(), (await startBrowserSession(t.deps(), user.id, 1)).id);
  if (!session) throw new Error('no session');
  const { token } = await createApiToken(t.deps(), session, { name: 'cli' });
  const bearer = await authenticateApiToken(t.deps(), token);
  if (!bearer) throw new Error('no token principal');
  return [session, bearer];
}

const can = (p: Principal, resource: Resource, action: string, object: string) =>
  t.deps().access.can(p, resource, action, object);

describe('an SSO username is not a policy subject', () => {
  it('a preferred_username equal to a mapped group grants nothing (session, token, /me, Settings → Accounts)', async () => {
    await rbac({ 'policy.default': 'role:readonly', 'policy.csv': 'g, platform-admins, role:admin' });
    const mallory = await ssoLogin('sub-mallory', { preferred_username: 'platform-admins', groups: ['devs'] });
    for (const p of mallory) {
      expect(p.username).toBe('platform-admins');
      expect(await can(p, 'accounts', 'update', '*')).toBe(false);
      expect(await can(p, 'applications', 'sync', 'default/x')).toBe(false);
      expect(await can(p, 'applications', 'get', 'default/x')).toBe(true);
      expect((await whoAmI(t.deps(), p)).roles).toEqual(['role:readonly']);
    }
    const accounts = await listAccounts(t.deps(), admin());
    expect(accounts.items.find((a) => a.name === 'platform-admins')?.roles).toEqual([]);
    // The control: a member of the group is an administrator.
    const [member] = await ssoLogin('sub-pat', { preferred_username: 'pat', groups: ['platform-admins'] });
    expect(await can(member, 'accounts', 'update', '*')).toBe(true);
    expect((await whoAmI(t.deps(), member)).roles).toContain('role:admin');
  });

  it('a new SSO user given a deleted local account’s name inherits none of its g lines', async () => {
    await createAccount(t.deps(), admin(), { name: 'bob', password: 'bob-password-1' });
    await rbac({ 'policy.default': 'role:readonly', 'policy.csv': 'g, bob, role:admin' });
    await deleteAccount(t.deps(), admin(), 'bob');
    const sso = await ssoLogin('sub-bob', { preferred_username: 'bob', groups: [] });
    for (const p of sso) {
      expect(p.username).toBe('bob');
      expect(await can(p, 'accounts', 'update', '*')).toBe(false);
      expect(await can(p, 'applications', 'sync', 'default/x')).toBe(false);
      expect((await whoAmI(t.deps(), p)).roles).toEqual(['role:readonly']);
    }
  });

  it('never takes a local account’s name, and a local account keeps its username as a subject', async () => {
    await createAccount(t.deps(), admin(), { name: 'carol', password: 'carol-password-1' });
    await rbac({ 'policy.default': 'role:readonly', 'policy.csv': 'g, carol, role:admin' });
    const [sso] = await ssoLogin('sub-carol', { preferred_username: 'carol', groups: [] });
    expect(sso.username).toBe('carol-1');
    expect(await can(sso, 'accounts', 'update', '*')).toBe(false);
    const [local] = await t.deps().auth.users.withTokenCounts('carol');
    const session = await resolveBrowserSession(t.deps(), (await startBrowserSession(t.deps(), local.user.id, 1)).id);
    expect(session && (await can(session, 'accounts', 'update', '*'))).toBe(true);
  });

  it('scopes: [groups, email] make the email a subject, the documented way to grant one SSO user', async () => {
    await rbac({
      'policy.default': 'role:readonly',
      scopes: '[groups, email]',
      'policy.csv': 'g, erin@example.test, role:admin',
    });
    const [erin] = await ssoLogin('sub-erin', { preferred_username: 'erin', email: 'erin@example.test' });
    expect(await can(erin, 'accounts', 'update', '*')).toBe(true);
    const [other] = await ssoLogin('sub-eric', { preferred_username: 'erin@example.test', email: 'eric@example.test' });
    expect(await can(other, 'accounts', 'update', '*')).toBe(false);
  });
});

describe('IdP groups that look like Keelson subjects', () => {
  it('drops role:…, proj:… and local account names at login, and says so in the login audit row', async () => {
    const groups = ['admin', 'role:admin', 'proj:team-a:dev', 'devs'];
    for (const p of await ssoLogin('sub-gail', { preferred_username: 'gail', groups })) {
      expect(p.groups).toEqual(['devs']);
      expect(await can(p, 'applications', 'get', 'default/x')).toBe(true);
      expect(await can(p, 'applications', 'sync', 'default/x')).toBe(false);
      expect(await can(p, 'accounts', 'update', '*')).toBe(false);
      expect(await can(p, 'pipelineruns', 'create', 'team-a/build')).toBe(false);
      expect((await whoAmI(t.deps(), p)).roles).toEqual(['role:readonly']);
    }
    const [row] = await t.handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actor, 'gail'), eq(auditLog.action, 'login')));
    expect(row.details).toMatchObject({ droppedGroups: ['admin', 'role:admin', 'proj:team-a:dev'] });
  });
});
