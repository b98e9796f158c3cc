import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, users } from '../../lib/adapters/db/schema';
import { admitSsoLogin, NOT_IN_ALLOWED_GROUPS } from '../../lib/server/auth/admit-sso-login';
import { ensureAdminUser } from '../../lib/server/auth/ensure-admin-user';
import { resolveBrowserSession } from '../../lib/server/auth/resolve-browser-session';
import { ssoIdentityFromProfile } from '../../lib/server/auth/sso-identity-from-profile';
import { startBrowserSession } from '../../lib/server/auth/start-browser-session';
import { upsertSsoUser } from '../../lib/server/auth/upsert-sso-user';
import { testDatabase, type TestDatabase } from './support/test-database';

let t: TestDatabase;
beforeAll(async () => {
  t = await testDatabase();
  await ensureAdminUser(t.deps(), 'admin-password-1');
});

/** What a login through the provider does: groups by the stored RBAC scopes, admission, upsert, a session. */
async function ssoLogin(subject: string, claims: Record<string, unknown>, allowed: string[] = []) {
  const { scopes } = await t.deps().access.config();
  const identity = ssoIdentityFromProfile('oidc', subject, claims, scopes);
  await admitSsoLogin(t.deps(), identity, allowed);
  const user = await upsertSsoUser(t.deps(), identity);
  const session = await startBrowserSession(t.deps(), user.id, 1);
  const principal = await resolveBrowserSession(t.deps(), session.id);
  if (!principal) throw new Error('no session');
  return principal;
}

describe('SSO logins on a fresh install', () => {
  it('an SSO user is role:readonly whatever their groups or role column say, never an administrator', async () => {
    const sam = await ssoLogin('sub-sam', { preferred_username: 'sam', groups: ['platform', 'admins'] });
    expect(sam.groups).toEqual(['platform', 'admins']);
    const { access } = t.deps();
    expect(await access.can(sam, 'applications', 'get', 'default/web')).toBe(true);
    for (const [resource, action, object] of [
      ['applications', 'sync', 'default/web'],
      ['accounts', 'update', 'bob'],
      ['projects', 'update', 'default'],
      ['pipelineruns', 'create', 'default/build'],
    ] as const) {
      expect(await access.can(sam, resource, action, object)).toBe(false);
      expect(await access.can({ ...sam, role: 'admin' }, resource, action, object)).toBe(false);
    }
  });

  it('takes groups from the claims the RBAC scopes name, and refreshes them at each login', async () => {
    await t
      .deps()
      .accessStores.rbac.put(
        { 'policy.default': 'role:readonly', scopes: '[roles, email]', 'policy.csv': 'g, ops, role:admin' },
        'test',
      );
    const claims = { preferred_username: 'olga', email: 'olga@example.test', roles: ['ops'], groups: ['ignored'] };
    const olga = await ssoLogin('sub-olga', claims);
    expect(olga.groups).toEqual(['ops', 'olga@example.test']);
    expect(await t.deps().access.can(olga, 'applications', 'sync', 'default/web')).toBe(true);
    const again = await ssoLogin('sub-olga', { ...claims, roles: ['dev'] });
    expect(again.username).toBe('olga');
    expect(again.groups).toEqual(['dev', 'olga@example.test']);
    expect(await t.deps().access.can(again, 'applications', 'sync', 'default/web')).toBe(false);
    await t.deps().accessStores.rbac.put({ 'policy.default': 'role:readonly' }, 'test');
  });

  it('never makes a username a policy subject such as role:admin or proj:<project>:<role>', async () => {
    await t.deps().accessStores.rbac.put({ 'policy.default': '' }, 'test');
    const sneaky = await ssoLogin('sub-sneaky', { preferred_username: 'role:admin', groups: [] });
    expect(sneaky.username).toBe('role-admin');
    expect(await t.deps().access.can(sneaky, 'applications', 'sync', 'default/web')).toBe(false);
    const proj = await ssoLogin('sub-proj', { preferred_username: 'proj:default:admin', groups: [] });
    expect(proj.username).toBe('proj-default-admin');
    const admin = await ssoLogin('sub-admin', { preferred_username: 'admin', groups: [] });
    expect(admin.username).toBe('admin-1');
    expect(await t.deps().access.can(admin, 'applications', 'sync', 'default/web')).toBe(false);
    await t.deps().accessStores.rbac.put({ 'policy.default': 'role:readonly' }, 'test');
  });
});

describe('KEELSON_OIDC_ALLOWED_GROUPS', () => {
  it('refuses a login whose groups meet none of the allowed ones: an audit row, no user', async () => {
    const err = ssoLogin('sub-eve', { preferred_username: 'eve', groups: ['strangers'] }, ['platform', 'viewers']);
    await expect(err).rejects.toMatchObject({ code: 'FORBIDDEN', message: NOT_IN_ALLOWED_GROUPS });
    expect(await t.handle.db.select().from(users).where(eq(users.username, 'eve'))).toEqual([]);
    const [audit] = await t.handle.db.select().from(auditLog).where(eq(auditLog.actor, 'eve'));
    expect(audit).toMatchObject({
      action: 'login',
      result: 'failure',
      details: { reason: 'not in KEELSON_OIDC_ALLOWED_GROUPS', groups: ['strangers'] },
    });
    const none = ssoLogin('sub-nog', { preferred_username: 'nog' }, ['platform']);
    await expect(none).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('admits a login with one allowed group, and everyone when the list is empty', async () => {
    const vera = await ssoLogin('sub-vera', { preferred_username: 'vera', groups: ['x', 'viewers'] }, ['viewers']);
    expect(vera.username).toBe('vera');
    expect((await ssoLogin('sub-any', { preferred_username: 'any', groups: [] }, [])).username).toBe('any');
  });
});
