import { bearerToken } from '@/lib/domain/auth/api-token';
import { deps } from '../context';
import type { Principal } from '../principal';
import { authenticateApiToken } from '../tokens/authenticate-api-token';
import { resolveBrowserSession } from './resolve-browser-session';
import { sessionIdFromCookies, type CookieReader } from './session-cookie';

/** The session cookie is a signed, encrypted JWT naming a session row; the row decides whether it is valid. */
export async function principalFromCookies(cookies: CookieReader): Promise<Principal | undefined> {
  const sid = await sessionIdFromCookies(cookies);
  return sid ? resolveBrowserSession(deps(), sid) : undefined;
}

/** API callers authenticate with `Authorization: Bearer <token>`; the browser with its session cookie. */
export async function principalFromRequest(headers: Headers, cookies: CookieReader): Promise<Principal | undefined> {
  const token = bearerToken(headers.get('authorization'));
  if (token) return authenticateApiToken(deps(), token);
  return principalFromCookies(cookies);
}
