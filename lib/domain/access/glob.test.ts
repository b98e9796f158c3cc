import { describe, expect, it } from 'vitest';
import { globMatch } from './glob';

describe('globMatch (gobwas/glob without separators, as Argo CD RBAC uses it)', () => {
  it('matches upstream TestGlobMatchFunc: arg/* matches arg/123', () => {
    expect(globMatch('arg/*', 'arg/123')).toBe(true);
  });

  it('lets * cross a slash, so */* and * both match project/name', () => {
    expect(globMatch('*', 'team-a/app')).toBe(true);
    expect(globMatch('*/*', 'team-a/app')).toBe(true);
    expect(globMatch('team-a/*', 'team-a/app/extra')).toBe(true);
    expect(globMatch('team-a/*', 'team-b/app')).toBe(false);
  });

  it('is anchored at both ends and literal elsewhere', () => {
    expect(globMatch('get', 'get')).toBe(true);
    expect(globMatch('get', 'forget')).toBe(false);
    expect(globMatch('a.b', 'axb')).toBe(false);
    expect(globMatch('action/*', 'action/apps/Deployment/restart')).toBe(true);
  });

  it('supports ?, character classes, negated classes and alternatives', () => {
    expect(globMatch('app-?', 'app-1')).toBe(true);
    expect(globMatch('app-?', 'app-12')).toBe(false);
    expect(globMatch('app-[0-9]', 'app-7')).toBe(true);
    expect(globMatch('app-[!0-9]', 'app-7')).toBe(false);
    expect(globMatch('{dev,staging}/*', 'staging/web')).toBe(true);
    expect(globMatch('{dev,staging}/*', 'prod/web')).toBe(false);
    expect(globMatch('a\\*b', 'a*b')).toBe(true);
    expect(globMatch('a\\*b', 'axb')).toBe(false);
  });

  it('matches nothing when the pattern does not compile', () => {
    expect(globMatch('[abc', '[abc')).toBe(false);
    expect(globMatch('{a,b', 'a')).toBe(false);
  });
});
