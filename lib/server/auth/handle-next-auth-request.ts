import NextAuth, { type AuthOptions } from 'next-auth';
import type { NextRequest } from 'next/server';
import { withLoginScope } from './login-scope';
import { nextAuthOptions } from './next-auth-options';

/** The request fields next-auth's API-route handler reads (next-auth/next/index.js). */
interface ApiRouteRequest {
  method?: string;
  query: Partial<Record<string, string | string[]>>;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  cookies: Partial<Record<string, string>>;
}

/** The response methods it calls. */
interface ApiRouteResponse {
  status(code: number): ApiRouteResponse;
  setHeader(name: string, value: string | string[]): ApiRouteResponse;
  json(value: unknown): void;
  send(value: unknown): void;
  end(): void;
}

/**
 * next-auth's handler as a method over the fields it uses: a method type is compared both ways, so a Next
 * request and response (which have these fields and many more) and the plain values below both fit.
 */
interface ApiRouteHandler {
  handle(req: ApiRouteRequest, res: ApiRouteResponse, options: AuthOptions): Promise<unknown>;
}
const nextAuthApiRoute: ApiRouteHandler = { handle: NextAuth };

/** Collects what next-auth writes through the Node response methods it uses. */
class CollectedResponse {
  statusCode = 200;
  readonly headers = new Headers();
  readonly cookies: string[] = [];
  body: string | null = null;

  status(code: number) {
    this.statusCode = code;
    return this;
  }
  getHeader(name: string) {
    return name.toLowerCase() === 'set-cookie' ? [...this.cookies] : (this.headers.get(name) ?? undefined);
  }
  setHeader(name: string, value: string | string[]) {
    if (name.toLowerCase() !== 'set-cookie') this.headers.set(name, String(value));
    else this.cookies.splice(0, this.cookies.length, ...(Array.isArray(value) ? value : [value]));
    return this;
  }
  json(value: unknown) {
    this.headers.set('content-type', 'application/json');
    this.body = JSON.stringify(value);
  }
  send(value: unknown) {
    if (typeof value === 'string' || value === undefined || value === null) this.body = value ?? null;
    else this.json(value);
  }
  end() {}

  toResponse(): Response {
    const headers = new Headers(this.headers);
    for (const c of this.cookies) headers.append('set-cookie', c);
    return new Response(this.statusCode === 302 || this.statusCode === 204 ? null : this.body, {
      status: this.statusCode,
      headers,
    });
  }
}

/**
 * Runs next-auth's own handler on a request whose body the route has already read under a size cap.
 * next-auth's "API route" calling convention is used because it takes the request as plain values (its
 * App Router convention re-reads the body uncapped and needs Next's request scope).
 */
export async function handleNextAuthRequest(
  req: NextRequest,
  segments: string[],
  body: Record<string, string> | undefined,
): Promise<Response> {
  const query: Record<string, string | string[]> = {
    ...Object.fromEntries(req.nextUrl.searchParams),
    nextauth: segments,
  };
  const apiReq: ApiRouteRequest = {
    method: req.method,
    query,
    body,
    headers: Object.fromEntries(req.headers),
    cookies: Object.fromEntries(req.cookies.getAll().map((c) => [c.name, c.value])),
  };
  const res = new CollectedResponse();
  await withLoginScope(() => nextAuthApiRoute.handle(apiReq, res, nextAuthOptions()));
  return res.toResponse();
}
