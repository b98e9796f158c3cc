import { API_CONTENT_SECURITY_POLICY, COMMON_SECURITY_HEADERS } from './security-headers';
import { compileTemplates, routeLabel, UNMATCHED } from './route-label';

/**
 * Which methods each /api route answers, so that any other method (TRACE, CONNECT, PROPFIND, one no
 * parser knows) gets 405 with an `Allow` header before it reaches Next.js (which answered TRACE with 500
 * and its own 405 without `Allow`). The methods are the route file's exports; Next.js adds HEAD to a
 * route with GET and answers OPTIONS for every route.
 */

/** The methods a Next.js route file can export. */
const ROUTE_EXPORTS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
const METHOD = ROUTE_EXPORTS.join('|');
/** `export const GET =`, `export async function POST(`, `export function DELETE<...>(`. */
const DECLARED = new RegExp(`export\\s+(?:const|let|var|(?:async\\s+)?function\\*?)\\s+(${METHOD})\\b`, 'g');
/** `export { handler as GET, POST }` (a re-export from another module too). */
const LISTED = /export\s*(?:type\s*)?\{([^}]*)\}/g;
/** `export const { GET, POST } = handlers(...)`, `{ get: GET }` renaming. */
const DESTRUCTURED = /export\s+(?:const|let|var)\s*\{([^}]*)\}\s*=/g;

/** The names a list binds: the part after `as` (export lists) or `:` (destructuring), defaults dropped. */
const boundNames = (list: string, rename: RegExp) =>
  list.split(',').map((item) => (item.split('=')[0] ?? '').trim().split(rename).pop()?.trim() ?? '');

/** The HTTP methods a route file's source exports. */
export function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(DECLARED)) found.add(m[1]!);
  const listed = [...source.matchAll(LISTED)].filter((m) => !/^export\s*type\b/.test(m[0]));
  const names = [
    ...listed.flatMap((m) => boundNames(m[1]!, /\s+as\s+/)),
    ...[...source.matchAll(DESTRUCTURED)].flatMap((m) => boundNames(m[1]!, /:/)),
  ];
  for (const name of names) if ((ROUTE_EXPORTS as readonly string[]).includes(name)) found.add(name);
  return [...found];
}

/** The `Allow` list of a route exporting these methods, as Next.js writes it for OPTIONS (sorted). */
export function allowList(exported: readonly string[]): string[] {
  const allow = new Set(exported);
  if (allow.has('GET')) allow.add('HEAD');
  allow.add('OPTIONS');
  return [...allow].sort();
}

export interface ApiRouteFile {
  /** `/api/v1/tokens/:id`, from the file's place under app/ (see templateFromAppFile). */
  template: string;
  exported: readonly string[];
}

export interface MethodRefusal {
  status: 404 | 405;
  headers: Record<string, string>;
  body: string;
}

/** The catch-all `app/api/[...path]` answers 404 for paths no other route claims. */
const CATCH_ALL = '/api/*';

function refusal(status: 404 | 405, code: string, message: string, hint: string, allow?: string[]): MethodRefusal {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const h of COMMON_SECURITY_HEADERS) headers[h.key.toLowerCase()] = h.value;
  headers['content-security-policy'] = API_CONTENT_SECURITY_POLICY;
  if (allow) headers.allow = allow.join(', ');
  const body = JSON.stringify({ error: { code, message, hint } });
  headers['content-length'] = String(new TextEncoder().encode(body).length);
  return { status, headers, body };
}

/**
 * The answer to a request whose method its /api route does not take, or undefined when the route takes it
 * (or the path is not under /api/). Method names are matched as sent (HTTP methods are case-sensitive).
 */
export function apiMethodChecker(routes: readonly ApiRouteFile[]) {
  const templates = compileTemplates(routes.map((r) => r.template));
  // A file whose exports could not be read (none found) is left to Next.js rather than refused everything.
  const allowByTemplate = new Map(
    routes.filter((r) => r.exported.length).map((r) => [r.template, allowList(r.exported)]),
  );
  return (method: string, url: string): MethodRefusal | undefined => {
    const pathname = url.split('?')[0] ?? '';
    if (!pathname.startsWith('/api/')) return undefined;
    const label = routeLabel(pathname, templates);
    const allow = allowByTemplate.get(label);
    if (!allow || allow.includes(method)) return undefined;
    const shown = method.replace(/[^\x21-\x7e]/g, '?').slice(0, 32);
    if (label === CATCH_ALL || label === UNMATCHED)
      return refusal(
        404,
        'NOT_FOUND',
        `No API route ${shown} ${pathname.slice(0, 200)}.`,
        'See /api/v1/openapi.json for the routes.',
      );
    return refusal(
      405,
      'METHOD_NOT_ALLOWED',
      `${shown} is not a method of ${label}.`,
      `Use one of ${allow.join(', ')} (the Allow header lists them).`,
      allow,
    );
  };
}

export type ApiMethodChecker = ReturnType<typeof apiMethodChecker>;

/** A refusal as raw HTTP/1.1 bytes, for requests Node's HTTP server does not hand to the listener (CONNECT, unknown methods). */
export function rawResponse(r: MethodRefusal): string {
  const reason = r.status === 405 ? 'Method Not Allowed' : 'Not Found';
  const headers = {
    ...r.headers,
    'content-length': String(new TextEncoder().encode(r.body).length),
    connection: 'close',
  };
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return `HTTP/1.1 ${r.status} ${reason}\r\n${lines.join('\r\n')}\r\n\r\n${r.body}`;
}

/** The method and target of a request line (`BREW /api/v1/x HTTP/1.1`) that Node's parser refused. */
export function requestLine(raw: string): { method: string; url: string } | undefined {
  const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}) (\/\S*) HTTP\/1\.[01]\r?\n/.exec(raw);
  return m ? { method: m[1]!, url: m[2]! } : undefined;
}
