import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../support/test-database';
import { params, request, installTestWebContext, webEnv, webUser, type WebUser } from './web-support';

/** Cookies are Secure (and `__Secure-`/`__Host-` prefixed) when KEELSON_URL is https. */
let t: TestDatabase;
let user: WebUser;
let auth: typeof import('../../../app/api/auth/[...nextauth]/route');
let principalFromCookies: typeof import('../../../lib/server/auth/current-principal').principalFromCookies;
const HTTPS_URL = 'https://keelson.example';

beforeAll(async () => {
  t = await testDatabase();
  webEnv(t);
  process.env.KEELSON_URL = HTTPS_URL;
  process.env.NEXTAUTH_URL = HTTPS_URL;
  installTestWebContext();
  user = await webUser(t, 'sec');
  auth = await import('../../../app/api/auth/[...nextauth]/route');
  principalFromCookies = (await import('../../../lib/server/auth/current-principal')).principalFromCookies;
});

describe('with an https KEELSON_URL', () => {
  it('sets the CSRF and session cookies Secure, HttpOnly, with the __Host-/__Secure- prefixes', async () => {
    const csrf = await auth.GET(request('/api/auth/csrf'), params({ nextauth: ['csrf'] }));
    const csrfCookie = csrf.headers.getSetCookie().find((c) => c.includes('csrf-token'))!;
    expect(csrfCookie).toMatch(/^__Host-next-auth\.csrf-token=/);
    expect(csrfCookie).toMatch(/; Secure/i);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const body = new URLSearchParams({
      username: 'sec',
      password: user.password,
      csrfToken,
      callbackUrl: '/',
      json: 'true',
    }).toString();
    const headers = {
      cookie: csrfCookie.split(';')[0],
      'content-type': 'application/x-www-form-urlencoded',
      origin: HTTPS_URL,
    };
    const res = await auth.POST(
      request('/api/auth/callback/credentials', { method: 'POST', headers, body }),
      params({ nextauth: ['callback', 'credentials'] }),
    );
    expect(res.status, await res.clone().text()).toBe(200);
    const session = res.headers.getSetCookie().find((c) => c.includes('session-token'))!;
    expect(session).toMatch(/^__Secure-next-auth\.session-token=/);
    expect(session).toMatch(/; Secure/i);
    expect(session).toMatch(/; HttpOnly/i);
    expect(session).toMatch(/; SameSite=Lax/i);
  });

  it('ignores a session cookie without the __Secure- prefix (one a plain-http page could have planted)', async () => {
    const jwt = user.cookie.slice(user.cookie.indexOf('=') + 1);
    expect(user.cookie).toMatch(/^__Secure-/);
    const reader = (name: string) => ({ get: (n: string) => (n === name ? { value: jwt } : undefined) });
    expect(await principalFromCookies(reader('next-auth.session-token'))).toBeUndefined();
    expect((await principalFromCookies(reader('__Secure-next-auth.session-token')))?.username).toBe('sec');
  });
});
