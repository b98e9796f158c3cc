import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiTokens, auditLog, users } from '../../lib/adapters/db/schema';
import type { AppError } from '../../lib/errors';
import { authenticateLocalUser } from '../../lib/server/auth/authenticate-local-user';
import { createAccount } from '../../lib/server/auth/create-account';
import { deleteAccount } from '../../lib/server/auth/delete-account';
import { ensureAdminUser } from '../../lib/server/auth/ensure-admin-user';
import { getAccount } from '../../lib/server/auth/get-account';
import { listAccounts } from '../../lib/server/auth/list-accounts';
import type { UserRow } from '../../lib/server/auth/ports';
import { resolveBrowserSession } from '../../lib/server/auth/resolve-browser-session';
import { startBrowserSession } from '../../lib/server/auth/start-browser-session';
import { updatePassword } from '../../lib/server/auth/update-password';
import { whoAmI } from '../../lib/server/auth/who-am-i';
import type { Principal } from '../../lib/server/principal';
import { authenticateApiToken } from '../../lib/server/tokens/authenticate-api-token';
import { createApiToken } from '../../lib/server/tokens/create-api-token';
import { readonly } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';

let t: TestDatabase;
const ADMIN_PASSWORD = 'admin-password-1';
const lim = { perIp: 1000, perUser: 1000 };

beforeAll(async () => {
  t = await testDatabase();
  await ensureAdminUser(t.deps(), ADMIN_PASSWORD);
});

async function row(username: string): Promise<UserRow | undefined> {
  const [found] = await t.handle.db.select().from(users).where(eq(users.username, username));
  return found;
}

/** The principal a session of that user gives (real user id: the "your own" rules compare it). */
async function as(username: string, via: Principal['via'] = 'session'): Promise<Principal> {
  const u = await row(username);
  if (!u) throw new Error(`no user ${username}`);
  return { userId: u.id, username: u.username, name: u.name, role: u.role, groups: u.groups, via };
}

async function auditRows(action: string, target: string) {
  return t.handle.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.target, target)));
}

const denied = (action: string, object: string) => ({
  code: 'FORBIDDEN',
  details: { denied: { resource: 'accounts', action, object } },
});

const login = (username: string, password: string) =>
  authenticateLocalUser(t.deps(), { username, password, ip: '10.9.0.1', rateLimit: lim });

describe('createAccount', () => {
  it('refuses a caller without accounts, update, <name> (403 naming it) and writes nothing', async () => {
    const err = createAccount(t.deps(), readonly('vera', ['viewers']), { name: 'mallory', password: 'long-enough-1' });
    await expect(err).rejects.toMatchObject(denied('update', 'mallory'));
    expect(await row('mallory')).toBeUndefined();
    expect(await auditRows('account.create', 'account/mallory')).toEqual([]);
  });

  it('lets the admin create a local account that can log in, with no role beyond policy.default', async () => {
    const created = await createAccount(t.deps(), await as('admin'), {
      name: 'bob',
      password: 'bob-password-1',
      displayName: 'Bob',
    });
    expect(created).toMatchObject({ name: 'bob', displayName: 'Bob', source: 'local', tokenCount: 0, roles: [] });
    expect((await row('bob'))?.passwordHash).toMatch(/^\$2[aby]\$/);
    expect((await login('bob', 'bob-password-1')).username).toBe('bob');
    const bob = await as('bob');
    expect(await t.deps().access.can(bob, 'applications', 'get', 'default/web')).toBe(true);
    expect(await t.deps().access.can(bob, 'applications', 'sync', 'default/web')).toBe(false);
    expect(await t.deps().access.can(bob, 'accounts', 'update', 'carol')).toBe(false);
    const [audit] = await auditRows('account.create', 'account/bob');
    expect(audit).toMatchObject({ actor: 'admin', result: 'success', via: 'ui' });
  });

  it('answers 409 for a name that is taken', async () => {
    const err = createAccount(t.deps(), await as('admin'), { name: 'bob', password: 'other-password' });
    await expect(err).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('listAccounts and getAccount', () => {
  it('lists accounts with source, token count and the roles g lines give them', async () => {
    await t.deps().accessStores.rbac.put(
      {
        'policy.default': 'role:readonly',
        'policy.csv': 'p, role:deployer, applications, sync, default/*, allow\ng, bob, role:deployer',
      },
      'test',
    );
    await createApiToken(t.deps(), await as('bob', 'token'), { name: 'ci' });
    const list = await listAccounts(t.deps(), await as('admin'));
    expect(list.defaultRole).toBe('role:readonly');
    const byName = Object.fromEntries(list.items.map((a) => [a.name, a]));
    expect(byName.admin).toMatchObject({ source: 'local', roles: ['role:admin', 'role:readonly'] });
    expect(byName.bob).toMatchObject({ source: 'local', roles: ['role:deployer'], tokenCount: 1, disabled: false });
    expect(byName.bob.lastLoginAt).not.toBeNull();
  });

  it('lists only the accounts the caller may get', async () => {
    await t
      .deps()
      .accessStores.rbac.put(
        { 'policy.default': '', 'policy.csv': 'p, role:self, accounts, get, bob, allow\ng, bob, role:self' },
        'test',
      );
    expect((await listAccounts(t.deps(), await as('bob'))).items.map((a) => a.name)).toEqual(['bob']);
    expect((await listAccounts(t.deps(), readonly('nobody', []))).items).toEqual([]);
    await expect(getAccount(t.deps(), await as('bob'), 'admin')).rejects.toMatchObject(denied('get', 'admin'));
    expect((await getAccount(t.deps(), await as('bob'), 'bob')).name).toBe('bob');
    // As Argo CD's ensureHasAccountPermission: an account always has access to itself, even with no role.
    await t.deps().accessStores.rbac.put({ 'policy.default': '' }, 'test');
    expect((await getAccount(t.deps(), await as('bob'), 'bob')).name).toBe('bob');
    await t.deps().accessStores.rbac.put({ 'policy.default': 'role:readonly' }, 'test');
  });

  it('answers 404 for an account that does not exist, to a caller who could see it', async () => {
    await expect(getAccount(t.deps(), await as('admin'), 'ghost')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('updatePassword', () => {
  it('lets a user change their own password with the current one, and refuses a wrong current one', async () => {
    const bob = await as('bob');
    const before = (await row('bob'))?.passwordHash;
    const wrong = updatePassword(t.deps(), bob, 'bob', { currentPassword: 'not-it', newPassword: 'bob-password-2' });
    await expect(wrong).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      details: { issues: [{ path: 'currentPassword' }] },
    });
    const missing = updatePassword(t.deps(), bob, 'bob', { newPassword: 'bob-password-2' });
    await expect(missing).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await row('bob'))?.passwordHash).toBe(before);
    expect((await auditRows('account.update-password', 'account/bob'))[0]).toMatchObject({ result: 'failure' });
    await updatePassword(t.deps(), bob, 'bob', { currentPassword: 'bob-password-1', newPassword: 'bob-password-2' });
    expect((await login('bob', 'bob-password-2')).username).toBe('bob');
  });

  it("refuses another account's password without accounts, update (403, nothing written)", async () => {
    const before = (await row('admin'))?.passwordHash;
    const err = updatePassword(t.deps(), await as('bob'), 'admin', { newPassword: 'taken-over-1' });
    await expect(err).rejects.toMatchObject(denied('update', 'admin'));
    expect((await row('admin'))?.passwordHash).toBe(before);
  });

  it("lets the admin reset another account's password without the current one; its sessions end", async () => {
    const bobRow = await row('bob');
    const session = await startBrowserSession(t.deps(), bobRow!.id, 1);
    expect(await resolveBrowserSession(t.deps(), session.id)).toBeDefined();
    await updatePassword(t.deps(), await as('admin'), 'bob', { newPassword: 'bob-password-3' });
    expect(await resolveBrowserSession(t.deps(), session.id)).toBeUndefined();
    expect((await login('bob', 'bob-password-3')).username).toBe('bob');
  });
});

describe('deleteAccount', () => {
  it('refuses the built-in admin and yourself', async () => {
    const admin = await as('admin');
    await expect(deleteAccount(t.deps(), admin, 'admin')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await t
      .deps()
      .accessStores.rbac.put({ 'policy.default': 'role:readonly', 'policy.csv': 'g, bob, role:admin' }, 't');
    const err = await deleteAccount(t.deps(), await as('bob'), 'bob').catch((e: AppError) => e);
    expect(err).toMatchObject({ code: 'BAD_REQUEST', message: 'You cannot delete your own account.' });
    await t.deps().accessStores.rbac.put({ 'policy.default': 'role:readonly' }, 'test');
    expect(await row('admin')).toBeDefined();
    expect(await row('bob')).toBeDefined();
  });

  it('refuses a caller without accounts, update (403) and deletes nothing', async () => {
    await expect(deleteAccount(t.deps(), readonly(), 'bob')).rejects.toMatchObject(denied('update', 'bob'));
    expect(await row('bob')).toBeDefined();
  });

  it('deletes an account: its token and its sessions stop working at once, and the row is audited', async () => {
    const token = await createApiToken(t.deps(), await as('bob', 'token'), { name: 'doomed' });
    const session = await startBrowserSession(t.deps(), (await row('bob'))!.id, 1);
    const bobId = (await row('bob'))!.id;
    const [projectToken] = await t.handle.db
      .insert(apiTokens)
      .values({ userId: bobId, name: 'ci', prefix: 'kls_x', tokenHash: 'h-ci', project: 'default', role: 'ci' })
      .returning();
    expect((await authenticateApiToken(t.deps(), token.token))?.username).toBe('bob');
    await deleteAccount(t.deps(), await as('admin'), 'bob');
    expect(await row('bob')).toBeUndefined();
    expect(await authenticateApiToken(t.deps(), token.token)).toBeUndefined();
    expect(await resolveBrowserSession(t.deps(), session.id)).toBeUndefined();
    const [audit] = await auditRows('account.delete', 'account/bob');
    expect(audit).toMatchObject({
      actor: 'admin',
      result: 'success',
      details: { tokensRevoked: 2, sessionsEnded: 1, projectTokensHandedOver: 1 },
    });
    // A project token acts as its role, not as its issuer: it outlives the account, issued now by admin.
    const [kept] = await t.handle.db.select().from(apiTokens).where(eq(apiTokens.id, projectToken.id));
    expect(kept).toMatchObject({ userId: (await row('admin'))!.id, revokedAt: null });
  });
});

describe('whoAmI', () => {
  it('shows the roles the policy gives: policy.default, then g lines by username and group', async () => {
    await t
      .deps()
      .accessStores.rbac.put({ 'policy.default': 'role:readonly', 'policy.csv': 'g, platform, role:admin' }, 'test');
    expect((await whoAmI(t.deps(), readonly('vera', ['viewers']))).roles).toEqual(['role:readonly']);
    expect((await whoAmI(t.deps(), readonly('sam', ['platform']))).roles).toEqual(['role:readonly', 'role:admin']);
    expect((await whoAmI(t.deps(), await as('admin'))).roles).toEqual(['role:readonly', 'role:admin']);
  });
});
