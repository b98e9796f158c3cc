import type { NextApiRequest, NextApiResponse } from 'next';
import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { withLoginScope } from './login-scope';
import { nextAuthOptions } from './next-auth-options';

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
  const apiReq = {
    method: req.method,
    query,
    body,
    headers: Object.fromEntries(req.headers),
    cookies: Object.fromEntries(req.cookies.getAll().map((c) => [c.name, c.value])),
  };
  const res = new CollectedResponse();
  await withLoginScope(() =>
    NextAuth(apiReq as unknown as NextApiRequest, res as unknown as NextApiResponse, nextAuthOptions()),
  );
  return res.toResponse();
}
