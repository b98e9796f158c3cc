import { NextResponse, type NextRequest } from 'next/server';
import { HSTS, isPublicPagePath, isRscRequest, pageContentSecurityPolicy } from '@/lib/domain/http/security-headers';
import { env, publicUrl } from '@/lib/env';
import { sessionIdFromCookies } from '@/lib/server/auth/session-cookie';

/**
 * Runs before every page request (Next.js 16 "proxy", Node runtime), RSC requests and server actions
 * included. First line of defence only: pages check the session in the database themselves
 * (requirePrincipal), this turns away requests without a genuine session cookie before anything renders,
 * and sets each page's Content-Security-Policy with a fresh nonce that Next.js puts on its scripts.
 */
export async function proxy(req: NextRequest): Promise<Response> {
  const { pathname, searchParams } = req.nextUrl;
  if (!isPublicPagePath(pathname) && !(await sessionIdFromCookies(req.cookies))) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return Response.json(
        { error: { code: 'UNAUTHENTICATED', message: 'Authentication required.', hint: 'Log in first.' } },
        { status: 401 },
      );
    }
    const back = new URL(req.nextUrl);
    back.searchParams.delete('_rsc');
    const login = new URL('/login', req.nextUrl);
    if (pathname !== '/') login.searchParams.set('callbackUrl', `${back.pathname}${back.search}`);
    const res = NextResponse.redirect(login, 307);
    // A client navigation must not cache the redirect as the page's payload.
    if (isRscRequest(req.headers, searchParams)) res.headers.set('cache-control', 'no-store');
    return res;
  }

  const e = env();
  const https = publicUrl(e).startsWith('https:');
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
  const csp = pageContentSecurityPolicy({ nonce, dev: e.NODE_ENV === 'development', https });
  // Next.js reads the nonce from the request's CSP header and stamps it on the scripts it renders.
  const headers = new Headers(req.headers);
  headers.set('content-security-policy', csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set('content-security-policy', csp);
  if (https) res.headers.set(HSTS.key, HSTS.value);
  return res;
}

export const config = {
  // Everything but the JSON API (which checks credentials per route) and Next's static files.
  matcher: ['/((?!api(?:/|$)|_next/static/|_next/image|favicon\\.ico$).*)'],
};
