import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NextRequest } from 'next/server';
import { users } from '../../../lib/adapters/db/schema';
import { hashPassword } from '../../../lib/server/auth/passwords';
import { parseEnv } from '../../../lib/env';
import { installWebContext } from '../../../lib/server/context';
import { createWebContext } from '../../../lib/server/create-web-context';
import type { Principal } from '../../../lib/server/principal';
import { createApiToken } from '../../../lib/server/tokens/create-api-token';
import type { TestDatabase } from '../support/test-database';

export const APP_URL = 'http://keelson.test:3000';

/**
 * The environment `npm start` gives the web process, pointed at this file's test database. Call before the
 * first import of a route module: the route's services read it once.
 */
export function webEnv(t: TestDatabase): void {
  process.env.DATABASE_URL = t.url;
  process.env.KEELSON_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'keelson-web-'));
  process.env.NEXTAUTH_SECRET = randomBytes(32).toString('hex');
  process.env.KEELSON_SESSION_KEYS = randomBytes(32).toString('hex');
  process.env.KEELSON_SECRET_KEY ??= randomBytes(32).toString('hex');
  process.env.KEELSON_URL = APP_URL;
  process.env.NEXTAUTH_URL = APP_URL;
  process.env.KEELSON_LOGIN_RATE_LIMIT = '5';
  process.env.KEELSON_LOGIN_IP_RATE_LIMIT = '1000';
}

/**
 * What server.ts does at start-up: builds the web process's context from the environment and installs it
 * for the routes. Call once the environment is final (after webEnv and any change a test makes to it).
 */
export function installTestWebContext(): void {
  installWebContext(createWebContext(parseEnv()));
}

export interface WebUser {
  principal: Principal;
  password: string;
  /** `Cookie:` header value of a live browser session, as next-auth set it at a real login. */
  cookie: string;
  token: string;
}

export async function webUser(t: TestDatabase, username: string): Promise<WebUser> {
  const password = `pw-${randomBytes(6).toString('hex')}`;
  const [u] = await t.handle.db
    .insert(users)
    .values({ username, role: 'admin', source: 'local', passwordHash: await hashPassword(password) })
    .returning();
  const principal: Principal = { userId: u.id, username, name: null, role: 'admin', groups: [], via: 'session' };
  const { token } = await createApiToken(t.deps(), { ...principal, via: 'token' }, { name: 'test' });
  const res = await credentialsLogin(username, password);
  const session = res.headers.getSetCookie().find((c) => c.includes('next-auth.session-token='));
  if (!session) throw new Error(`login as ${username} failed: ${res.status} ${await res.text()}`);
  return { principal, password, cookie: session.split(';')[0], token };
}

/** What the login form does, through the real /api/auth route: fetch a CSRF token (and its cookie), post the credentials. */
export async function credentialsLogin(
  username: string,
  password: string,
  opts: { path?: string; segments?: string[]; headers?: Record<string, string> } = {},
) {
  const auth = await import('../../../app/api/auth/[...nextauth]/route');
  const csrf = await auth.GET(request('/api/auth/csrf'), params({ nextauth: ['csrf'] }));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const body = new URLSearchParams({ username, password, csrfToken, callbackUrl: '/', json: 'true' }).toString();
  const headers = {
    cookie,
    'content-type': 'application/x-www-form-urlencoded',
    origin: process.env.KEELSON_URL!,
    ...opts.headers,
  };
  const path = opts.path ?? '/api/auth/callback/credentials';
  return auth.POST(
    request(path, { method: 'POST', headers, body }),
    params({ nextauth: opts.segments ?? ['callback', 'credentials'] }),
  );
}

/** A request as the web server hands it to a route handler (client IP header set by server.ts). */
export function request(
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): NextRequest {
  return new NextRequest(`${APP_URL}${path}`, {
    method: init.method ?? 'GET',
    headers: { host: new URL(APP_URL).host, 'x-keelson-client-ip': '10.0.0.1', ...init.headers },
    body: init.body,
  });
}

export const params = <P extends Record<string, string | string[]>>(p: P) => ({ params: Promise.resolve(p) });
