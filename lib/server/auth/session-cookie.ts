import { publicUrl } from '@/lib/env';
import { webContext } from '../context';
import { sessionJwt } from './session-jwt';

export interface CookieReader {
  get(name: string): { value: string } | undefined;
}

const SECURE_COOKIE = '__Secure-next-auth.session-token';
const PLAIN_COOKIE = 'next-auth.session-token';

/** With an https public URL only the `__Secure-` cookie counts: a plain-http cookie could have been planted. */
export function sessionCookieNames(): string[] {
  return publicUrl(webContext().env).startsWith('https:') ? [SECURE_COOKIE] : [SECURE_COOKIE, PLAIN_COOKIE];
}

/**
 * The session row id named by the signed, encrypted session cookie, if the cookie is genuine. This says
 * nothing about whether the session is still valid: that is the database's call (principalFromCookies).
 */
export async function sessionIdFromCookies(cookies: CookieReader): Promise<string | undefined> {
  const raw = sessionCookieNames()
    .map((n) => cookies.get(n)?.value)
    .find(Boolean);
  if (!raw) return undefined;
  // Any session key of the keyring: cookies signed before a rotation stay valid until they expire.
  const jwt = await sessionJwt(() => webContext().keyring().sessionSecrets()).decode({ token: raw, secret: '' });
  return typeof jwt?.sid === 'string' ? jwt.sid : undefined;
}
