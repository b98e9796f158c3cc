import { bearerToken } from '@/lib/domain/auth/api-token';
import { deps } from '../context';
import { processKeyring } from '../security/process-keyring';
import type { Principal } from '../principal';
import { authenticateApiToken } from '../tokens/authenticate-api-token';
import { resolveBrowserSession } from './browser-sessions';
import { sessionJwt } from './session-jwt';

const SESSION_COOKIES = ['__Secure-next-auth.session-token', 'next-auth.session-token'];

export interface CookieReader {
  get(name: string): { value: string } | undefined;
}

/** The session cookie is a signed, encrypted JWT naming a session row; the row decides whether it is valid. */
export async function principalFromCookies(cookies: CookieReader): Promise<Principal | undefined> {
  const raw = SESSION_COOKIES.map((n) => cookies.get(n)?.value).find(Boolean);
  if (!raw) return undefined;
  const jwt = await sessionJwt(() => processKeyring().sessionSecrets()).decode({ token: raw, secret: '' });
  const sid = jwt?.sid;
  return typeof sid === 'string' ? resolveBrowserSession(deps(), sid) : undefined;
}

/** API callers authenticate with `Authorization: Bearer <token>`; the browser with its session cookie. */
export async function principalFromRequest(headers: Headers, cookies: CookieReader): Promise<Principal | undefined> {
  const token = bearerToken(headers.get('authorization'));
  if (token) return authenticateApiToken(deps(), token);
  return principalFromCookies(cookies);
}
