import { describe, expect, it } from 'vitest';
import { globMatch, globMatchNegatable } from './glob';

describe('globMatch (gobwas/glob semantics, as util/glob)', () => {
  it('util/glob Test_Match: exact, star, question mark', () => {
    expect(globMatch('abc', 'abc')).toBe(true);
    expect(globMatch('abc', 'abd')).toBe(false);
    expect(globMatch('a*', 'abc')).toBe(true);
    expect(globMatch('a?c', 'abc')).toBe(true);
    expect(globMatch('a?c', 'ac')).toBe(false);
  });

  it('without separators `*` crosses `/` (destinations: https://*.example.com matches a path)', () => {
    expect(globMatch('https://*', 'https://kubernetes.default.svc/x')).toBe(true);
    expect(globMatch('team-*', 'team-a/b')).toBe(true);
  });

  it("with '/' as separator `*` stays in one segment and `**` crosses (TestProjectSourceRepos glob cases)", () => {
    expect(globMatch('https://github.com/argoproj/*', 'https://github.com/argoproj/argo-cd', '/')).toBe(true);
    expect(globMatch('https://github.com/*', 'https://github.com/argoproj/argo-cd', '/')).toBe(false);
    expect(globMatch('https://github.com/**', 'https://github.com/argoproj/argo-cd', '/')).toBe(true);
  });

  it('classes, negated classes, alternatives and escapes', () => {
    expect(globMatch('[ab]c', 'bc')).toBe(true);
    expect(globMatch('[!ab]c', 'bc')).toBe(false);
    expect(globMatch('[a-c]x', 'cx')).toBe(true);
    expect(globMatch('{dev,test}-*', 'test-1')).toBe(true);
    expect(globMatch('{dev,test}-*', 'prod-1')).toBe(false);
    expect(globMatch('a\\*', 'a*')).toBe(true);
    expect(globMatch('a\\*', 'ab')).toBe(false);
    expect(globMatch('a.c', 'abc')).toBe(false);
  });

  it('an invalid pattern matches nothing (glob.Match returns false on a compile error)', () => {
    expect(globMatch('[abc', '[abc')).toBe(false);
    expect(globMatch('{a,b', 'a')).toBe(false);
  });

  it('globMatch with allowNegation: `!p` matches what p does not', () => {
    expect(globMatchNegatable('!team-*', 'team-a')).toBe(false);
    expect(globMatchNegatable('!team-*', 'other')).toBe(true);
  });
});
