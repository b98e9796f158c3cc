import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPublicPagePath, isRscRequest, pageContentSecurityPolicy } from '../../../lib/domain/http/security-headers';

/**
 * Hole 5: server components queried the database and relied on the (dashboard) layout for the login
 * check, which Next.js skips for RSC requests. Every page and server action must check the session itself
 * before it reads anything; the running-server proof is tests/e2e/security-web.spec.ts.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
const rel = (p: string) => path.relative(root, p);
const appFiles = walk(path.join(root, 'app')).filter((f) => /\.(ts|tsx)$/.test(f));
/** The data loaders a page runs: anything that reaches services or our own API. */
const DATA = /\bdeps\(\)|\bserverApi\s*[<(]|\bsecrets\(\)|\bqueue\(\)/;

describe('every dashboard page checks the principal itself', () => {
  const pages = appFiles.filter(
    (f) => f.includes(`${path.sep}(dashboard)${path.sep}`) && /(page|layout)\.tsx$/.test(f),
  );

  it('finds the dashboard pages', () => expect(pages.length).toBeGreaterThanOrEqual(12));

  for (const file of pages) {
    it(`${rel(file)} calls requirePrincipal() before reading data`, () => {
      const src = readFileSync(file, 'utf8');
      const body = src.slice(src.indexOf('export default'));
      const check = body.indexOf('await requirePrincipal()');
      expect(check, 'the default export must start with `await requirePrincipal()`').toBeGreaterThan(-1);
      const data = DATA.exec(body);
      if (data) expect(check, `reads data (${data[0]}) before checking the session`).toBeLessThan(data.index);
    });
  }

  it('generateMetadata reads no data (it runs before the page body)', () => {
    for (const file of pages) {
      const src = readFileSync(file, 'utf8');
      const meta = /export async function generateMetadata[\s\S]*?\n}\n/.exec(src);
      if (meta) expect(DATA.test(meta[0]), rel(file)).toBe(false);
    }
  });

  it('every server action module checks the principal in each exported function', () => {
    const actions = appFiles
      .concat(walk(path.join(root, 'components')))
      .filter((f) => /^\s*['"]use server['"]/m.test(readFileSync(f, 'utf8')));
    for (const file of actions) {
      const src = readFileSync(file, 'utf8');
      const fns = src.split(/export async function /).slice(1);
      for (const fn of fns)
        expect(fn.includes('await requirePrincipal()'), `${rel(file)}: ${fn.slice(0, 40)}`).toBe(true);
    }
  });
});

describe('proxy decisions', () => {
  it('only the login page is public', () => {
    expect(isPublicPagePath('/login')).toBe(true);
    for (const p of ['/', '/pipelines', '/runs/x', '/settings/tokens', '/loginx', '/applications', '/_not-found'])
      expect(isPublicPagePath(p)).toBe(false);
  });
  it('recognises RSC navigations and server actions', () => {
    const h = (o: Record<string, string>) => new Headers(o);
    expect(isRscRequest(h({ rsc: '1' }), new URLSearchParams())).toBe(true);
    expect(isRscRequest(h({ 'next-router-state-tree': '%5B%5D' }), new URLSearchParams())).toBe(true);
    expect(isRscRequest(h({ 'next-action': 'abc' }), new URLSearchParams())).toBe(true);
    expect(isRscRequest(h({}), new URLSearchParams('_rsc=x'))).toBe(true);
    expect(isRscRequest(h({ accept: 'text/html' }), new URLSearchParams())).toBe(false);
  });
  it('page CSP: nonce scripts only, no framing, no plugins', () => {
    const csp = pageContentSecurityPolicy({ nonce: 'abc', dev: false, https: true });
    expect(csp).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain('upgrade-insecure-requests');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
  });
});
