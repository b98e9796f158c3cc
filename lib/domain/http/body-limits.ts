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

export function bodyLimitFor(url: string): { limitClass: BodyLimitClass; maxBytes: number } {
  const limitClass = bodyLimitClass(url);
  return { limitClass, maxBytes: BODY_LIMITS[limitClass] };
}

/** "5 MB", "64 KB": for messages. */
export function formatBytes(bytes: number): string {
  return bytes >= MIB ? `${Math.round(bytes / MIB)} MB` : `${Math.round(bytes / KIB)} KB`;
}
