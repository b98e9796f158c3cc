/**
 * Cross-site request forgery defence for cookie-authenticated requests (bearer tokens are exempt: a browser
 * never attaches them on its own). An unsafe request must come from our own origin, and, when it can carry
 * a body, must say it is JSON or YAML: those content types are not CORS-safelisted, so a cross-site page can
 * only send them after a preflight that Keelson never grants. Pure: the caller passes the request's headers.
 */
export interface CsrfRequest {
  method: string;
  contentType: string | null;
  origin: string | null;
  secFetchSite: string | null;
  /** `x-forwarded-host` (else `host`) of the request, as Next.js compares for server actions. */
  host: string | null;
  /** Origins that count as ours besides the request's own host, e.g. the origin of KEELSON_URL. */
  trustedOrigins: readonly string[];
  /** false for next-auth's own form posts, which carry next-auth's double-submit token instead. */
  requireApiContentType: boolean;
}

export type CsrfDecision = { allowed: true } | { allowed: false; reason: string; hint: string };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Methods a cross-site page can send without a preflight, and that may carry a body. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const API_TYPES = new Set(['application/json', 'application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']);

/** `application/json; charset=utf-8` → `application/json`; `application/merge-patch+json` counts as JSON. */
export function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

export function isApiContentType(contentType: string | null): boolean {
  const type = mediaType(contentType);
  return API_TYPES.has(type) || /^application\/[a-z0-9.+-]+\+(json|yaml)$/.test(type);
}

function parseOrigin(origin: string): URL | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** `Origin: null` (sandboxed frames, data: URLs) and anything not http(s) is never ours. */
function isOwnOrigin(origin: string, req: CsrfRequest): boolean {
  const url = parseOrigin(origin);
  if (!url) return false;
  if (req.host && url.host === req.host.trim().toLowerCase()) return true;
  return req.trustedOrigins.some((o) => parseOrigin(o)?.origin === url.origin);
}

const refuse = (reason: string, hint: string): CsrfDecision => ({ allowed: false, reason, hint });

export function decideCsrf(req: CsrfRequest): CsrfDecision {
  const method = req.method.toUpperCase();
  if (SAFE_METHODS.has(method)) return { allowed: true };
  const site = req.secFetchSite?.trim().toLowerCase();
  if (site && site !== 'same-origin') {
    return refuse(
      `Cross-site request refused (Sec-Fetch-Site: ${site}).`,
      'Call the API from the Keelson web app itself, or send `Authorization: Bearer <token>` instead of the session cookie.',
    );
  }
  if (req.origin !== null && !isOwnOrigin(req.origin, req)) {
    return refuse(
      `Cross-origin request refused (Origin: ${req.origin.slice(0, 100)}).`,
      'Call the API from the Keelson web app itself, or send `Authorization: Bearer <token>` instead of the session cookie.',
    );
  }
  if (req.requireApiContentType && BODY_METHODS.has(method) && !isApiContentType(req.contentType)) {
    const sent = mediaType(req.contentType) || 'none';
    return refuse(
      `A ${method} with the session cookie must have a JSON or YAML Content-Type (got ${sent}).`,
      'Send `Content-Type: application/json` (or application/yaml for manifests), even when the body is empty.',
    );
  }
  return { allowed: true };
}
