import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * SSRF through X-Forwarded-Proto: the applications pages fetched `${x-forwarded-proto}://${host}${path}` on
 * the server with the caller's cookie, and Next.js keeps a client-sent X-Forwarded-Proto, so
 * `X-Forwarded-Proto: http://169.254.169.254/latest/meta-data/#` made the server fetch any URL and put the
 * answer in the page. No server code may build a URL from what the client says the host or scheme is; the
 * running-server proof is tests/e2e/security-forwarded.spec.ts.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
const serverFiles = ['app', 'lib', 'components', 'workers', 'scripts']
  .flatMap((d) => walk(path.join(root, d)))
  .concat(['proxy.ts', 'server.ts'].map((f) => path.join(root, f)))
  .filter((f) => /\.(ts|tsx)$/.test(f) && !/\.test\.tsx?$/.test(f));
const rel = (f: string) => path.relative(root, f);

/** Where a header naming the host is read only to compare an Origin with it (CSRF), never to build a URL. */
const COMPARES_ONLY = new Set(['lib/server/auth/assert-same-origin-request.ts', 'lib/domain/http/csrf.ts']);

describe('no server code builds a URL from request headers', () => {
  it('scans the server code', () => expect(serverFiles.length).toBeGreaterThan(100));

  it('reads X-Forwarded-Proto nowhere', () => {
    const readers = serverFiles.filter((f) => /x-forwarded-proto/i.test(readFileSync(f, 'utf8')));
    expect(readers.map(rel)).toEqual([]);
  });

  it('reads X-Forwarded-Host or Host only to compare origins', () => {
    const readers = serverFiles.filter((f) =>
      /x-forwarded-host|\.get\(\s*['"]host['"]\s*\)|headers\.host\b|headers\[['"]host['"]\]/i.test(
        readFileSync(f, 'utf8'),
      ),
    );
    expect(readers.map(rel).filter((f) => !COMPARES_ONLY.has(f))).toEqual([]);
  });

  it('pages and layouts never fetch over HTTP: they call the services in-process', () => {
    const pages = serverFiles.filter(
      (f) =>
        f.startsWith(path.join(root, 'app')) &&
        !f.includes(`${path.sep}api${path.sep}`) &&
        !/^\s*['"]use client['"]/m.test(readFileSync(f, 'utf8')),
    );
    const fetchers = pages.filter((f) => /\bfetch\s*\(/.test(readFileSync(f, 'utf8')));
    expect(fetchers.map(rel)).toEqual([]);
  });
});
