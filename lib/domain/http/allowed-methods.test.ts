import { describe, expect, it } from 'vitest';
import { allowList, apiMethodChecker, exportedMethods, rawResponse, requestLine } from './allowed-methods';

describe('exportedMethods', () => {
  it('reads declared, listed and renamed exports, not other names or type exports', () => {
    const source = [
      'export const GET = route({}, async () => 1);',
      'export async function POST(req) {}',
      'export function* PATCH() {}',
      'export { remove as DELETE, notFound as PUT, helper };',
      'export { byType as OPTIONS };',
      'export type { OPTIONS } from "./x";',
      'export const { OPTIONS: x, get: HEAD, other } = handlers();',
      'export const GETTER = 1;',
      'const HEAD = 1;',
    ].join('\n');
    expect(exportedMethods(source).sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
  });
});

describe('apiMethodChecker', () => {
  const check = apiMethodChecker([
    { template: '/api/*', exported: ['GET', 'POST'] },
    { template: '/api/v1/tokens', exported: ['GET', 'POST'] },
    { template: '/api/v1/tokens/:id', exported: ['DELETE'] },
    { template: '/api/v1/unreadable', exported: [] },
  ]);

  it('lets a route’s own methods, HEAD with GET and OPTIONS through, and paths outside /api', () => {
    for (const m of ['GET', 'HEAD', 'OPTIONS', 'POST']) expect(check(m, '/api/v1/tokens?x=1')).toBeUndefined();
    expect(check('TRACE', '/settings')).toBeUndefined();
    expect(check('TRACE', '/api/v1/unreadable')).toBeUndefined();
  });

  it('refuses any other method with 405 and the Allow list; on no route, 404', () => {
    const r = check('TRACE', '/api/v1/tokens/abc');
    expect(r?.status).toBe(405);
    expect(r?.headers.allow).toBe('DELETE, OPTIONS');
    expect(JSON.parse(r!.body).error.code).toBe('METHOD_NOT_ALLOWED');
    expect(check('get', '/api/v1/tokens')?.headers.allow).toBe('GET, HEAD, OPTIONS, POST');
    expect(check('TRACE', '/api/v1/nothing/here')?.status).toBe(404);
    expect(rawResponse(r!)).toMatch(
      /^HTTP\/1\.1 405 Method Not Allowed\r\n[^]*allow: DELETE, OPTIONS\r\n[^]*\r\n\r\n\{/,
    );
  });

  it('allowList sorts as Next.js does', () => {
    expect(allowList(['POST', 'DELETE', 'GET'])).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST']);
  });
});

describe('requestLine', () => {
  it('reads the method and target of a refused request, nothing else', () => {
    expect(requestLine('BREW /api/v1/x?y=1 HTTP/1.1\r\nHost: a\r\n\r\n')).toEqual({
      method: 'BREW',
      url: '/api/v1/x?y=1',
    });
    expect(requestLine('B\u0000W /api HTTP/1.1\r\n')).toBeUndefined();
    expect(requestLine('garbage')).toBeUndefined();
  });
});
