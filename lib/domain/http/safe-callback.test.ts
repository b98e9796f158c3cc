import { describe, expect, it } from 'vitest';
import { safeCallbackPath } from './safe-callback';

const ORIGIN = 'http://keelson.test:3000';

describe('safeCallbackPath', () => {
  it('keeps a path on our own origin, with its query and fragment', () => {
    expect(safeCallbackPath('/pipelines?status=Failed#top', ORIGIN)).toBe('/pipelines?status=Failed#top');
    expect(safeCallbackPath('/applications/my%20app', ORIGIN)).toBe('/applications/my%20app');
    expect(safeCallbackPath(`${ORIGIN}/runs/x`, ORIGIN)).toBe('/runs/x');
  });

  it('sends everything that leaves the origin to /', () => {
    for (const evil of [
      '/\\evil.example',
      '/%5Cevil.example'.replace('%5C', '\\'),
      '\\\\evil.example',
      '//evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      ' //evil.example',
      'https://evil.example/',
      'http://keelson.test:3001/',
      'https://keelson.test:3000/',
      'javascript:alert(1)',
      'data:text/html,x',
      'http://evil.example@keelson.test:3000x/',
    ]) {
      expect(safeCallbackPath(evil, ORIGIN), JSON.stringify(evil)).toBe('/');
    }
  });

  it('never returns a path a browser would read as another host', () => {
    for (const tricky of ['/.//evil.example', '/..//evil.example', '/a/..//evil.example', '///evil.example/..']) {
      const path = safeCallbackPath(tricky, ORIGIN);
      expect(path.startsWith('//') || path.startsWith('/\\'), `${tricky} → ${path}`).toBe(false);
      expect(new URL(path, 'http://elsewhere.test').host).toBe('elsewhere.test');
    }
  });

  it('gives / for nothing, garbage, or a bad own origin', () => {
    expect(safeCallbackPath(undefined, ORIGIN)).toBe('/');
    expect(safeCallbackPath('', ORIGIN)).toBe('/');
    expect(safeCallbackPath('/x', 'not a url')).toBe('/');
  });
});
