/**
 * Response headers that keep Keelson's pages from being framed, sniffed or scripted by anyone else.
 * Pages get a per-request nonce for the inline scripts Next.js emits ('strict-dynamic' lets those load
 * the app's chunks); inline styles stay allowed because React renders `style` attributes and style
 * injection cannot run code. API answers are JSON: nothing in them may load or frame anything.
 */
export interface PagePolicyInput {
  nonce: string;
  /** `next dev` evaluates code for its overlay and reloads over a websocket. */
  dev: boolean;
  https: boolean;
}

export function pageContentSecurityPolicy({ nonce, dev, https }: PagePolicyInput): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

export const API_CONTENT_SECURITY_POLICY =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Sent with every response, pages and API alike (next.config.ts). */
export const COMMON_SECURITY_HEADERS: readonly { key: string; value: string }[] = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
];

/** HSTS only makes sense (and is only honoured) over https. */
export const HSTS = { key: 'Strict-Transport-Security', value: 'max-age=31536000' };

/** Paths anyone may open without a session; everything else the proxy sends to the login page. */
export function isPublicPagePath(pathname: string): boolean {
  return pathname === '/login' || pathname.startsWith('/login/');
}

/** A client-side navigation or server action (an RSC request) rather than a document load. */
export function isRscRequest(headers: { get(name: string): string | null }, search: URLSearchParams): boolean {
  return (
    headers.get('rsc') !== null ||
    headers.get('next-action') !== null ||
    headers.get('next-router-state-tree') !== null ||
    search.has('_rsc')
  );
}
