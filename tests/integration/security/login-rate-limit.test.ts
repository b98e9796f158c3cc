import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rateLimits } from '../../../lib/adapters/db/schema';
import { testDatabase, type TestDatabase } from '../support/test-database';
import { credentialsLogin, params, request, installTestWebContext, webEnv, webUser, type WebUser } from './web-support';

/**
 * Hole 6: the limiter matched `pathname.endsWith('/callback/credentials')`, so `/callback/credential%73`
 * reached next-auth's credentials provider unlimited. Attempts are now counted inside authorize(); these
 * tests drive next-auth's real handler through Keelson's /api/auth route.
 */
let t: TestDatabase;
let victim: WebUser;
let other: WebUser;
let auth: typeof import('../../../app/api/auth/[...nextauth]/route');

beforeAll(async () => {
  t = await testDatabase();
  webEnv(t); // KEELSON_LOGIN_RATE_LIMIT=5 failures per user per minute
  installTestWebContext();
  victim = await webUser(t, 'victim');
  other = await webUser(t, 'other');
  auth = await import('../../../app/api/auth/[...nextauth]/route');
});

const login = (
  path: string,
  segments: string[],
  username: string,
  password: string,
  headers: Record<string, string> = {},
) => credentialsLogin(username, password, { path, segments, headers });

// The path spellings an attacker tried; Next.js hands each of them to this route with these segments.
const SPELLINGS: [string, string[]][] = [
  ['/api/auth/callback/credential%73', ['callback', 'credentials']],
  ['/api/auth/callback/%63redentials', ['callback', 'credentials']],
  ['/api/auth/callback/credentials/', ['callback', 'credentials']],
  ['/api/auth/callback/credentials?x=/callback/other', ['callback', 'credentials']],
  ['/api/auth/callback/credentials', ['callback', 'credentials']],
];

describe('login attempts are counted inside authorize()', () => {
  it('a good password logs in through the real handler and sets the session cookie', async () => {
    const res = await login('/api/auth/callback/credentials', ['callback', 'credentials'], 'other', other.password);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('next-auth.session-token='))).toBe(true);
  });

  it('answers 429 with Retry-After after the per-user limit, whatever the path spelling, even for the right password', async () => {
    const statuses: number[] = [];
    for (const [path, segments] of SPELLINGS)
      statuses.push((await login(path, segments, 'victim', 'wrong-guess')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const [row] = await t.handle.db.select().from(rateLimits).where(eq(rateLimits.key, 'user:victim'));
    expect(row.count).toBe(5);
    for (const [path, segments] of SPELLINGS) {
      const res = await login(path, segments, 'victim', 'another-guess');
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(res.headers.getSetCookie().some((c) => c.includes('session-token'))).toBe(false);
    }
    const right = await login('/api/auth/callback/credentials', ['callback', 'credentials'], 'victim', victim.password);
    expect(right.status).toBe(429);
    expect(right.headers.getSetCookie().some((c) => c.includes('session-token'))).toBe(false);
  });

  it('refuses a cross-site login post before next-auth sees it (login CSRF)', async () => {
    const res = await login('/api/auth/callback/credentials', ['callback', 'credentials'], 'other', other.password, {
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
    });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie().some((c) => c.includes('session-token'))).toBe(false);
  });

  it('refuses a login body over the cap with 413', async () => {
    const res = await auth.POST(
      request('/api/auth/callback/credentials', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `username=x&password=${'a'.repeat(100_000)}`,
      }),
      params({ nextauth: ['callback', 'credentials'] }),
    );
    expect(res.status).toBe(413);
  });
});
