/**
 * Request body caps by route class, enforced by the web server while the body streams in (and again
 * by the route helpers). Anything not named gets the default; a path the server cannot classify
 * (odd encodings included) therefore gets a small cap, never a larger one.
 */
export const KIB = 1024;
export const MIB = 1024 * KIB;

export const BODY_LIMITS = {
  /** next-auth's forms: a username and a password, or an OAuth callback. */
  auth: 64 * KIB,
  /** Git provider payloads (push events list commits). */
  webhooks: 5 * MIB,
  /** `keelson apply -f`: multi-document YAML. */
  apply: 10 * MIB,
  /** Every other API route and page (server actions included). */
  default: 1 * MIB,
} as const;

export type BodyLimitClass = keyof typeof BODY_LIMITS;

export function bodyLimitClass(url: string): BodyLimitClass {
  const path = (url.split('?')[0] ?? '').replace(/\/{2,}/g, '/');
  if (path === '/api/auth' || path.startsWith('/api/auth/')) return 'auth';
  if (path.startsWith('/api/webhooks/')) return 'webhooks';
  if (path === '/api/v1/apply' || path === '/api/v1/apply/') return 'apply';
  return 'default';
}

/** What a request without credentials may send to a class whose cap is larger (webhooks excepted: they are anonymous by design). */
export const ANONYMOUS_MAX_BYTES = 1 * MIB;

/** Bytes of request bodies the web server holds at once, all requests together; beyond it new bodies get 503. */
export const IN_FLIGHT_BODY_BYTES = 64 * MIB;

const SESSION_COOKIE = /(?:^|;)\s*(?:__Secure-)?next-auth\.session-token(?:\.\d+)?=[^;\s]/;

/**
 * Whether the request carries credentials at all (`Authorization: Bearer …` or the session cookie). Only a
 * hint for how much body to hold before the route checks them: a forged one gains at most the class cap,
 * and the in-flight budget still bounds the total.
 */
export function carriesCredentials(authorization: string | undefined, cookie: string | undefined): boolean {
  return /^Bearer\s+\S/i.test(authorization ?? '') || SESSION_COOKIE.test(cookie ?? '');
}

export function bodyLimitFor(
  url: string,
  credentialed = true,
): { limitClass: BodyLimitClass; maxBytes: number; anonymousCap: boolean } {
  const limitClass = bodyLimitClass(url);
  const classMax = BODY_LIMITS[limitClass];
  const anonymousCap = !credentialed && limitClass !== 'webhooks' && classMax > ANONYMOUS_MAX_BYTES;
  return { limitClass, maxBytes: anonymousCap ? ANONYMOUS_MAX_BYTES : classMax, anonymousCap };
}

/** "5 MB", "64 KB": for messages. */
export function formatBytes(bytes: number): string {
  return bytes >= MIB ? `${Math.round(bytes / MIB)} MB` : `${Math.round(bytes / KIB)} KB`;
}
