import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiTokens, auditLog, users } from '../../lib/adapters/db/schema';
import { AppError } from '../../lib/errors';
import { authenticateLocalUser } from '../../lib/server/auth/authenticate-local-user';
import { ensureAdminUser } from '../../lib/server/auth/ensure-admin-user';
import { exchangePasswordForToken } from '../../lib/server/auth/exchange-password-for-token';
import { authenticateApiToken } from '../../lib/server/tokens/authenticate-api-token';
import { createApiToken } from '../../lib/server/tokens/create-api-token';
import { revokeApiToken } from '../../lib/server/tokens/revoke-api-token';
import { testDatabase, type TestDatabase } from './support/test-database';

let t: TestDatabase;
const lim = (n: number) => ({ perIp: n, perUser: n });
beforeAll(async () => {
  t = await testDatabase();
});

describe('initial admin', () => {
  it('creates admin once with a random password, stored hashed', async () => {
    const first = await ensureAdminUser(t.deps());
    expect(first.kind).toBe('created');
    const password = first.kind === 'created' ? first.password : '';
    expect(password.length).toBeGreaterThanOrEqual(12);
    const [row] = await t.handle.db.select().from(users).where(eq(users.username, 'admin'));
    expect(row.passwordHash).not.toContain(password);
    expect(row.passwordHash).toMatch(/^\$2[aby]\$/);
    expect((await ensureAdminUser(t.deps())).kind).toBe('unchanged');
    const user = await authenticateLocalUser(t.deps(), {
      username: 'admin',
      password,
      ip: '10.0.0.1',
      rateLimit: lim(100),
    });
    expect(user.role).toBe('admin');
  });

  it('lets KEELSON_ADMIN_PASSWORD reset the password', async () => {
    expect((await ensureAdminUser(t.deps(), 'override-pass-1')).kind).toBe('updated-from-env');
    const user = await authenticateLocalUser(t.deps(), {
      username: 'admin',
      password: 'override-pass-1',
      ip: '10.0.0.2',
      rateLimit: lim(100),
    });
    expect(user.username).toBe('admin');
  });
});

describe('login failures', () => {
  it('says "invalid credentials" for a wrong password and for an unknown user alike, and audits both', async () => {
    const wrong = await authenticateLocalUser(t.deps(), {
      username: 'admin',
      password: 'nope',
      ip: '10.0.0.3',
      rateLimit: lim(100),
    }).catch((e: unknown) => e);
    const unknown = await authenticateLocalUser(t.deps(), {
      username: 'ghost',
      password: 'nope',
      ip: '10.0.0.3',
      rateLimit: lim(100),
    }).catch((e: unknown) => e);
    for (const err of [wrong, unknown]) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBe(401);
      expect((err as AppError).message).toBe('Invalid credentials.');
    }
    const failures = await t.handle.db.select().from(auditLog).where(eq(auditLog.ip, '10.0.0.3'));
    expect(failures.map((f) => [f.actor, f.result]).sort()).toEqual([
      ['admin', 'failure'],
      ['ghost', 'failure'],
    ]);
  });

  it('rate-limits per IP with a 429 after the limit', async () => {
    const attempt = (n: number) =>
      authenticateLocalUser(t.deps(), {
        username: `user${n}`,
        password: 'x',
        ip: '10.9.9.9',
        rateLimit: { perIp: 3, perUser: 100 },
      }).catch((e: AppError) => e.status);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push(await attempt(i));
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('rate-limits per user across IPs', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        await authenticateLocalUser(t.deps(), {
          username: 'carol',
          password: 'bad',
          ip: `10.1.1.${i}`,
          rateLimit: { perIp: 100, perUser: 3 },
        }).catch((e: AppError) => e.status),
      );
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe('API tokens', () => {
  it('exchanges a password for a token that authenticates, then stops working once revoked', async () => {
    const created = await exchangePasswordForToken(t.deps(), {
      username: 'admin',
      password: 'override-pass-1',
      ip: '10.2.0.1',
      rateLimit: lim(100),
    });
    expect(created.token).toMatch(/^kls_/);
    const [stored] = await t.handle.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(stored.tokenHash).not.toBe(created.token);
    expect(JSON.stringify(stored)).not.toContain(created.token);
    const principal = await authenticateApiToken(t.deps(), created.token);
    expect(principal?.username).toBe('admin');
    await revokeApiToken(t.deps(), principal!, created.id);
    expect(await authenticateApiToken(t.deps(), created.token)).toBeUndefined();
    const actions = (
      await t.handle.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.target, `token/${created.id}`))
    )
      .map((a) => a.action)
      .sort();
    expect(actions).toEqual(['token.create', 'token.revoke']);
  });

  it('refuses an expired token', async () => {
    const [admin] = await t.handle.db.select().from(users).where(eq(users.username, 'admin'));
    const principal = {
      userId: admin.id,
      username: 'admin',
      name: null,
      role: 'admin',
      groups: [],
      via: 'token' as const,
    };
    const created = await createApiToken(t.deps(), principal, { name: 'short', expiresInDays: 1 });
    expect(await authenticateApiToken(t.deps(), created.token)).toBeDefined();
    const twoDaysLater = () => new Date(Date.now() + 2 * 86_400_000);
    expect(await authenticateApiToken(t.deps(twoDaysLater), created.token)).toBeUndefined();
  });

  it('answers 404 for revoking a token that is not yours', async () => {
    const other = {
      userId: '00000000-0000-0000-0000-000000000000',
      username: 'x',
      name: null,
      role: 'user',
      groups: [],
      via: 'token' as const,
    };
    const err = await revokeApiToken(t.deps(), other, '11111111-1111-1111-1111-111111111111').catch((e: AppError) => e);
    expect((err as AppError).status).toBe(404);
  });
});
