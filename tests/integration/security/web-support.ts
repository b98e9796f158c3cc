import { randomBytes } from 'node:crypto';
import { encode } from 'next-auth/jwt';
import { NextRequest } from 'next/server';
import { users } from '../../../lib/adapters/db/schema';
import { startBrowserSession } from '../../../lib/server/auth/browser-sessions';
import { hashPassword } from '../../../lib/server/auth/passwords';
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
  process.env.NEXTAUTH_SECRET = randomBytes(32).toString('hex');
  process.env.KEELSON_SECRET_KEY ??= randomBytes(32).toString('hex');
  process.env.KEELSON_URL = APP_URL;
  process.env.KEELSON_LOGIN_RATE_LIMIT = '5';
  process.env.KEELSON_LOGIN_IP_RATE_LIMIT = '1000';
}

export interface WebUser {
  principal: Principal;
  password: string;
  /** `Cookie:` header value of a live browser session, as next-auth sets it after a login. */
  cookie: string;
  token: string;
}

export async function webUser(t: TestDatabase, username: string): Promise<WebUser> {
  const password = `pw-${randomBytes(6).toString('hex')}`;
  const [u] = await t.handle.db.insert(users).values({ username, role: 'admin', source: 'local', passwordHash: await hashPassword(password) }).returning();
  const principal: Principal = { userId: u.id, username, name: null, role: 'admin', groups: [], via: 'session' };
  const session = await startBrowserSession(t.deps(), u.id, 1);
  const jwt = await encode({ token: { sub: u.id, sid: session.id }, secret: process.env.NEXTAUTH_SECRET! });
  const { token } = await createApiToken(t.deps(), { ...principal, via: 'token' }, { name: 'test' });
  return { principal, password, cookie: `next-auth.session-token=${jwt}`, token };
}

/** A request as the web server hands it to a route handler (client IP header set by server.ts). */
export function request(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): NextRequest {
  return new NextRequest(`${APP_URL}${path}`, {
    method: init.method ?? 'GET',
    headers: { host: new URL(APP_URL).host, 'x-keelson-client-ip': '10.0.0.1', ...init.headers },
    body: init.body,
  });
}

export const params = <P extends Record<string, string | string[]>>(p: P) => ({ params: Promise.resolve(p) });
