import { describe, expect, it } from 'vitest';
import { rowsByExpected } from '@/tests/fixtures/rows-by-expected';
import { classifyRepoUrl, normalizeRepoUrl, scrubCredentials } from './repo-url';

describe('normalizeRepoUrl', () => {
  it.each([
    ['https://GitHub.com/Org/Repo.git', 'https://github.com/Org/Repo'],
    ['https://github.com/Org/Repo/', 'https://github.com/Org/Repo'],
    ['HTTPS://github.com:443/Org/Repo.git/', 'https://github.com/Org/Repo'],
    ['https://user:token@github.com/org/repo.git', 'https://github.com/org/repo'],
    ['http://localhost:8080/git/app.git', 'http://localhost:8080/git/app'],
    ['git@GitHub.com:org/repo.git', 'ssh://git@github.com/org/repo'],
    ['ssh://git@github.com:22/org/repo.git', 'ssh://git@github.com/org/repo'],
    ['ssh://git@github.com:2222/org/repo', 'ssh://git@github.com:2222/org/repo'],
    ['  /srv/repos/app.git/ ', 'file:///srv/repos/app'],
    ['file:///srv/repos/app.git', 'file:///srv/repos/app'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeRepoUrl(input)).toBe(expected);
  });

  it('makes scp-like and ssh:// spellings equal', () => {
    expect(normalizeRepoUrl('git@github.com:org/repo')).toBe(normalizeRepoUrl('ssh://git@github.com/org/repo.git'));
  });

  it('keeps the case of the path', () => {
    expect(normalizeRepoUrl('https://example.com/A/B')).not.toBe(normalizeRepoUrl('https://example.com/a/b'));
  });
});

describe('classifyRepoUrl', () => {
  const kinds = {
    remote: [
      'https://github.com/org/repo',
      'http://127.0.0.1:3000/r.git',
      'ssh://git@host/org/repo',
      'git@host:org/repo.git',
      'git://host/repo',
    ],
    local: ['file:///tmp/repo', '/tmp/repo', '../repo'],
    invalid: ['ext::sh -c touch% /tmp/pwned', '--upload-pack=touch /tmp/x', 'ftp://host/repo', ''],
  };
  it.each(rowsByExpected(kinds))('%s is %s', (input, kind) => expect(classifyRepoUrl(input)).toBe(kind));
});

describe('scrubCredentials', () => {
  it('removes userinfo from URLs and listed secrets', () => {
    const text = "fatal: unable to access 'https://bob:s3cret@host/r.git/': 401; token s3cret";
    expect(scrubCredentials(text, ['s3cret'])).toBe("fatal: unable to access 'https://host/r.git/': 401; token ***");
  });
});
