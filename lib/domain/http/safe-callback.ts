/**
 * Where to go after login. A `callbackUrl` comes from the query string, so anyone can craft it: only a
 * place on our own origin is accepted, judged the way the browser will resolve it (WHATWG URL rules, where
 * `/\evil.example`, `/\t/evil.example` and `//evil.example` all leave the origin). Pure.
 */
export const DEFAULT_CALLBACK = '/';

/**
 * A path on `ownOrigin` (`/pipelines?x=1#y`) for `callbackUrl` when it resolves to that origin, else `/`.
 * Always relative and starting with exactly one `/`, so the browser cannot read it as another host,
 * whichever address it reached Keelson by.
 */
export function safeCallbackPath(callbackUrl: string | null | undefined, ownOrigin: string): string {
  if (!callbackUrl) return DEFAULT_CALLBACK;
  let base: URL;
  let target: URL;
  try {
    base = new URL(ownOrigin);
    target = new URL(callbackUrl, base);
  } catch {
    return DEFAULT_CALLBACK;
  }
  if (target.origin !== base.origin || (target.protocol !== 'http:' && target.protocol !== 'https:'))
    return DEFAULT_CALLBACK;
  // `/.//evil.example` resolves to the path `//evil.example`, which a browser would read as a host.
  return `${target.pathname.replace(/^\/+/, '/')}${target.search}${target.hash}`;
}
