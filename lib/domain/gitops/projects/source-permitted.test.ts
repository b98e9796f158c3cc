import { describe, expect, it } from 'vitest';
import { isSourcePermitted, normalizeRepoUrl } from './source-permitted';

type Case = [string[], string, boolean];

describe('isSourcePermitted', () => {
  it.each<Case>([
    [['*'], 'https://github.com/argoproj/test.git', true],
    [['https://github.com/argoproj/test.git'], 'https://github.com/argoproj/test.git', true],
    [['ssh://git@GITHUB.com:argoproj/test'], 'ssh://git@github.com:argoproj/test', true],
    [['https://github.com/argoproj/*'], 'https://github.com/argoproj/argoproj.git', true],
    [
      ['https://github.com/test1/test.git', 'https://github.com/test2/test.git'],
      'https://github.com/test2/test.git',
      true,
    ],
    [['https://github.com/argoproj/test1.git'], 'https://github.com/argoproj/test2.git', false],
    [['https://github.com/argoproj/*.git'], 'https://github.com/argoproj1/test2.git', false],
    [['https://github.com/argoproj/foo'], 'https://github.com/argoproj/foo1', false],
    [['https://gitlab.com/group/*'], 'https://gitlab.com/group/repo/owner', false],
    [['https://gitlab.com/group/*/*'], 'https://gitlab.com/group/repo/owner', true],
    [['https://gitlab.com/group/*/*/*'], 'https://gitlab.com/group/sub-group/repo/owner', true],
    [['https://gitlab.com/group/**'], 'https://gitlab.com/group/sub-group/repo/owner', true],
    [[], 'https://github.com/argoproj/test.git', false],
  ])('TestAppProject_IsSourcePermitted: %j permits %s: %s', (repos, url, expected) => {
    expect(isSourcePermitted(repos, url).permitted).toBe(expected);
  });

  it.each<Case>([
    [['!https://github.com/argoproj/test.git'], 'https://github.com/argoproj/test.git', false],
    [['!ssh://git@GITHUB.com:argoproj/test'], 'ssh://git@github.com:argoproj/test', false],
    [['!https://github.com/argoproj/*'], 'https://github.com/argoproj/argoproj.git', false],
    [
      ['https://github.com/test1/test.git', '!https://github.com/test2/test.git'],
      'https://github.com/test2/test.git',
      false,
    ],
    [['!https://github.com/argoproj/foo*'], 'https://github.com/argoproj/foo1', false],
    [['!https://gitlab.com/group/*/*'], 'https://gitlab.com/group/repo/owner', false],
    [['!https://gitlab.com/group/**'], 'https://gitlab.com/group/sub-group/repo/owner', false],
    [['https://github.com/argoproj/test1.git', '*'], 'https://github.com/argoproj/test2.git', true],
    [['!https://github.com/argoproj/*.git', '*'], 'https://github.com/argoproj1/test2.git', true],
    // A negation-only list permits nothing: no positive entry matched.
    [['!https://github.com/evil/*'], 'https://github.com/good/app', false],
  ])('TestAppProject_IsNegatedSourcePermitted: %j permits %s: %s', (repos, url, expected) => {
    expect(isSourcePermitted(repos, url).permitted).toBe(expected);
  });

  it('names the rule that decided: the deny entry wins over an earlier allow', () => {
    expect(isSourcePermitted(['*', '!https://github.com/evil/*'], 'https://github.com/evil/app.git')).toEqual({
      permitted: false,
      rule: "sourceRepos: '!https://github.com/evil/*'",
    });
    expect(isSourcePermitted(['https://github.com/team/*'], 'https://github.com/team/app')).toEqual({
      permitted: true,
      rule: "sourceRepos: 'https://github.com/team/*'",
    });
    expect(isSourcePermitted(['https://github.com/team/*'], 'https://github.com/other/app').rule).toBe(
      "sourceRepos: no entry permits 'https://github.com/other/app'",
    );
  });

  it('git.NormalizeGitURL: case, .git suffix, trailing slash and scp-like addresses', () => {
    expect(normalizeRepoUrl('https://GitHub.com/Team/App.git/')).toBe('https://github.com/team/app');
    expect(normalizeRepoUrl('git@github.com:team/app.git')).toBe('ssh://git@github.com/team/app');
    expect(isSourcePermitted(['ssh://git@github.com/team/*'], 'git@github.com:team/app.git').permitted).toBe(true);
  });
});
