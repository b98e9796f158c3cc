import { chmod, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepoMirrors, isRepoError, type RepoMirrors } from '../../lib/adapters/git';
import { createTestRepo, serveGitHttp, type GitHttpServer, type TestRepo } from './support/git-repos';

const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

async function errorOf(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected a rejection');
}

describe('repo mirrors', () => {
  let repo: TestRepo;
  let cacheDir: string;
  let mirrors: RepoMirrors;
  let fetches: string[];
  let first: string;
  let second: string;

  beforeAll(async () => {
    repo = await createTestRepo({ name: 'app', files: { 'apps/a/cm.yaml': CM('a') } });
    first = await repo.sha();
    await repo.tag('v1.0.0');
    await repo.tag('v1.0.0-annotated', 'HEAD', 'release');
    second = await repo.commit({ 'apps/a/cm.yaml': CM('a2'), 'apps/b/cm.yaml': CM('b') }, 'second\n\nwith body');
    await repo.branch('feature', first);
    cacheDir = await mkdtemp(path.join(os.tmpdir(), 'keelson-mirrors-'));
    fetches = [];
    mirrors = createRepoMirrors({ cacheDir, allowLocal: true, onFetch: (url) => fetches.push(url) });
  });

  afterAll(async () => {
    await repo.cleanup();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('resolves branch, tag, annotated tag, full and short SHA and HEAD over file://', async () => {
    const r = { url: repo.url };
    expect(await mirrors.resolveRevision(r, 'main')).toBe(second);
    expect(await mirrors.resolveRevision(r, 'feature')).toBe(first);
    expect(await mirrors.resolveRevision(r, 'v1.0.0')).toBe(first);
    expect(await mirrors.resolveRevision(r, 'v1.0.0-annotated')).toBe(first);
    expect(await mirrors.resolveRevision(r, 'HEAD')).toBe(second);
    expect(await mirrors.resolveRevision(r, '')).toBe(second);
    expect(await mirrors.resolveRevision(r, first)).toBe(first);
    expect(await mirrors.resolveRevision(r, first.slice(0, 8))).toBe(first);
  });

  it('does not fetch for a full SHA the mirror already has', async () => {
    const before = fetches.length;
    expect(await mirrors.resolveRevision({ url: repo.url }, second)).toBe(second);
    expect(fetches.length).toBe(before);
  });

  it('reports an unknown revision with the repository URL', async () => {
    const error = await errorOf(mirrors.resolveRevision({ url: repo.url }, 'no-such-branch'));
    expect(isRepoError(error) && error.code).toBe('REVISION_NOT_FOUND');
    expect(error.message).toBe(`revision no-such-branch not found in ${repo.url}`);
    expect((await errorOf(mirrors.resolveRevision({ url: repo.url }, '--upload-pack=x'))).message).toMatch(/not found/);
  });

  it('sees a push after the next resolve, and a deleted branch disappears', async () => {
    await repo.branch('short-lived');
    expect(await mirrors.resolveRevision({ url: repo.url }, 'short-lived')).toBe(second);
    const third = await repo.commit({ 'apps/a/cm.yaml': CM('a3') }, 'third');
    expect(await mirrors.resolveRevision({ url: repo.url }, 'main')).toBe(third);
    await repo.deleteBranch('short-lived');
    expect((await errorOf(mirrors.resolveRevision({ url: repo.url }, 'short-lived'))).message).toMatch(/not found/);
  });

  it('shares one fetch among 10 concurrent resolves of one repository', async () => {
    const before = fetches.length;
    const shas = await Promise.all(
      Array.from({ length: 10 }, () => mirrors.resolveRevision({ url: repo.url }, 'main')),
    );
    expect(new Set(shas).size).toBe(1);
    expect(fetches.length - before).toBe(1);
  });

  it('skips the fetch when the last one is younger than maxAgeMs', async () => {
    await mirrors.resolveRevision({ url: repo.url }, 'main');
    const before = fetches.length;
    await mirrors.resolveRevision({ url: repo.url }, 'main', { maxAgeMs: 60_000 });
    expect(fetches.length).toBe(before);
    await mirrors.resolveRevision({ url: repo.url }, 'main', { maxAgeMs: 0 });
    expect(fetches.length).toBe(before + 1);
  });

  it('answers within maxAgeMs from what the last fetch saw, and the next fetch replaces those answers', async () => {
    const r = { url: repo.url };
    const before = await mirrors.resolveRevision(r, 'main', { maxAgeMs: 0 });
    const pushed = await repo.commit({ 'apps/a/cm.yaml': CM('a-remembered') }, 'pushed after the fetch');
    // No fetch since the push: the mirror (and what is remembered of it) still has the previous commit.
    expect(await mirrors.resolveRevision(r, 'main', { maxAgeMs: 60_000 })).toBe(before);
    expect(await mirrors.resolveRevision(r, 'main', { maxAgeMs: 0 })).toBe(pushed);
    // The answer remembered before that fetch was dropped by it.
    expect(await mirrors.resolveRevision(r, 'main', { maxAgeMs: 60_000 })).toBe(pushed);
  });

  it('keeps one mirror per repository whatever the spelling of its URL', async () => {
    expect(mirrors.mirrorDir(`${repo.url}/`)).toBe(mirrors.mirrorDir(repo.url.replace(/\.git$/, '')));
    expect(mirrors.mirrorDir(repo.bareDir)).toBe(mirrors.mirrorDir(repo.url));
  });

  it('checks out a tree per SHA, reuses it, and reads commit metadata', async () => {
    const dir = await mirrors.readTree({ url: repo.url }, second, 'apps/b');
    expect(await readFile(path.join(dir, 'cm.yaml'), 'utf8')).toBe(CM('b'));
    expect(await mirrors.readTree({ url: repo.url }, second, 'apps/b')).toBe(dir);
    const root = await mirrors.readTree({ url: repo.url }, first, '');
    expect(await readFile(path.join(root, 'apps/a/cm.yaml'), 'utf8')).toBe(CM('a'));
    const info = await mirrors.commitInfo({ url: repo.url }, second);
    expect(info).toMatchObject({
      sha: second,
      message: 'second\n\nwith body',
      author: 'Keelson Test',
      authorEmail: 'test@keelson.dev',
    });
    expect(Number.isNaN(Date.parse(info.date))).toBe(false);
  });

  it('reports a missing path, and refuses paths that leave the tree', async () => {
    for (const p of ['apps/nope', '../..', 'apps/a/cm.yaml']) {
      const error = await errorOf(mirrors.readTree({ url: repo.url }, second, p));
      expect(isRepoError(error) && error.code).toBe('PATH_NOT_FOUND');
      expect(error.message).toContain(`path "${p}" not found in ${repo.url}`);
    }
  });

  it('refuses a tree with a symlink that leaves the repository, but accepts links inside it', async () => {
    const linked = await createTestRepo({ name: 'links', files: { 'app/real.yaml': CM('r') } });
    try {
      await symlink('real.yaml', path.join(linked.workDir, 'app/inside.yaml'));
      const good = await linked.commit({}, 'inside link');
      const root = await mirrors.readTree(
        { url: linked.url },
        await mirrors.resolveRevision({ url: linked.url }, good),
        'app',
      );
      expect(await readFile(path.join(root, 'inside.yaml'), 'utf8')).toBe(CM('r'));
      await symlink('/etc/passwd', path.join(linked.workDir, 'app/values.yaml'));
      const bad = await linked.commit({}, 'escaping link');
      const error = await errorOf(
        mirrors.readTree({ url: linked.url }, await mirrors.resolveRevision({ url: linked.url }, 'main'), 'app'),
      );
      expect(isRepoError(error) && error.code).toBe('UNSAFE_CONTENT');
      expect(error.message).toContain('app/values.yaml');
      expect(bad).not.toBe(good);
    } finally {
      await linked.cleanup();
    }
  });

  it('refuses local URLs unless allowed', async () => {
    const strict = createRepoMirrors({ cacheDir, allowLocal: false });
    for (const url of [repo.url, repo.bareDir]) {
      const error = await errorOf(strict.resolveRevision({ url }, 'main'));
      expect(isRepoError(error) && error.code).toBe('LOCAL_NOT_ALLOWED');
      expect(error.message).toMatch(/KEELSON_ALLOW_LOCAL_REPOS/);
    }
    const ext = await errorOf(strict.resolveRevision({ url: 'ext::sh -c id' }, 'main'));
    expect(isRepoError(ext) && ext.code).toBe('INVALID_URL');
  });

  it('reports an unreachable repository', async () => {
    const error = await errorOf(mirrors.resolveRevision({ url: 'http://127.0.0.1:9/nothing.git' }, 'main'));
    expect(isRepoError(error) && error.code).toBe('UNREACHABLE');
    expect(error.message).toMatch(/cannot be reached/);
  });
});

describe('repo mirrors over smart HTTP', () => {
  let repo: TestRepo;
  let open: GitHttpServer;
  let locked: GitHttpServer;
  let cacheDir: string;
  let mirrors: RepoMirrors;
  const token = 'tok-3x4mpl3-s3cr3t';

  beforeAll(async () => {
    repo = await createTestRepo({ name: 'served', files: { 'cm.yaml': CM('x') } });
    await repo.tag('v1');
    open = await serveGitHttp(repo.projectRoot);
    locked = await serveGitHttp(repo.projectRoot, { username: 'deployer', password: token });
    cacheDir = await mkdtemp(path.join(os.tmpdir(), 'keelson-mirrors-http-'));
    // The test server listens on loopback, which only KEELSON_ALLOW_LOCAL_REPOS lets git reach.
    mirrors = createRepoMirrors({ cacheDir, allowLocal: true });
  });

  afterAll(async () => {
    await open.close();
    await locked.close();
    await repo.cleanup();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('resolves branch, tag, SHA and HEAD without credentials, and sees pushes', async () => {
    const r = { url: open.url('served') };
    const head = await repo.sha();
    expect(await mirrors.resolveRevision(r, 'main')).toBe(head);
    expect(await mirrors.resolveRevision(r, 'v1')).toBe(head);
    expect(await mirrors.resolveRevision(r, 'HEAD')).toBe(head);
    expect(await mirrors.resolveRevision(r, head.slice(0, 10))).toBe(head);
    const next = await repo.commit({ 'cm.yaml': CM('y') });
    expect(await mirrors.resolveRevision(r, 'main')).toBe(next);
    const dir = await mirrors.readTree(r, next, '.');
    expect(await readFile(path.join(dir, 'cm.yaml'), 'utf8')).toBe(CM('y'));
  });

  it('authenticates with username and token, without storing them', async () => {
    const r = { url: locked.url('served'), credentials: { username: 'deployer', token } };
    expect(await mirrors.resolveRevision(r, 'main')).toBe(await repo.sha());
    const config = await readFile(path.join(mirrors.mirrorDir(r.url), 'config'), 'utf8');
    expect(config).not.toContain(token);
  });

  it('fails clearly with wrong or missing credentials, never echoing the token', async () => {
    const fresh = createRepoMirrors({ cacheDir: path.join(cacheDir, 'fresh'), allowLocal: true });
    const wrong = await errorOf(
      fresh.resolveRevision(
        { url: locked.url('served'), credentials: { username: 'deployer', token: 'wrong-token-value' } },
        'main',
      ),
    );
    expect(isRepoError(wrong) && wrong.code).toBe('AUTH_FAILED');
    expect(wrong.message).toContain(`authentication failed for ${locked.url('served')}`);
    expect(wrong.message).not.toContain('wrong-token-value');
    const none = await errorOf(fresh.resolveRevision({ url: locked.url('served') }, 'main'));
    expect(isRepoError(none) && none.code).toBe('AUTH_FAILED');
    const inUrl = await errorOf(
      fresh.resolveRevision({ url: locked.url('served').replace('http://', `http://deployer:${token}x@`) }, 'main'),
    );
    expect(inUrl.message).not.toContain(token);
  });
});

describe('repo mirrors over SSH (a stand-in ssh that runs the remote command locally)', () => {
  let repo: TestRepo;
  let dir: string;
  const savedPath = process.env.PATH;

  beforeAll(async () => {
    repo = await createTestRepo({ name: 'over-ssh', files: { 'cm.yaml': CM('s') } });
    dir = await mkdtemp(path.join(os.tmpdir(), 'keelson-fake-ssh-'));
    const log = path.join(dir, 'ssh.log');
    await writeFile(
      path.join(dir, 'ssh'),
      `#!/bin/sh\nkey=''; prev=''\nfor a in "$@"; do [ "$prev" = "-i" ] && key="$a"; prev="$a"; done\n` +
        `{ echo "args: $*"; echo "keyfile: $key"; echo "keymode: $(stat -c %a "$key")"; echo "key: $(head -1 "$key")"; } >> '${log}'\n` +
        `for last; do :; done\nexec sh -c "$last"\n`,
    );
    await chmod(path.join(dir, 'ssh'), 0o755);
    process.env.PATH = `${dir}:${savedPath}`;
  });

  afterAll(async () => {
    process.env.PATH = savedPath;
    await repo.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('passes the private key as a 0600 file that is gone afterwards, with accept-new host keys', async () => {
    const mirrors = createRepoMirrors({ cacheDir: path.join(dir, 'cache'), allowLocal: true });
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----';
    const sha = await mirrors.resolveRevision(
      { url: `ssh://git@localhost${repo.bareDir}`, credentials: { sshPrivateKey: key } },
      'main',
    );
    expect(sha).toBe(await repo.sha());
    const log = await readFile(path.join(dir, 'ssh.log'), 'utf8');
    expect(log).toContain('keymode: 600');
    expect(log).toContain('key: -----BEGIN OPENSSH PRIVATE KEY-----');
    expect(log).toContain('StrictHostKeyChecking=accept-new');
    expect(log).toContain('git@localhost');
    expect(log).toContain('-F /dev/null');
    expect(log).toContain('HostName=127.0.0.1');
    const keyFile = /keyfile: (.+)/.exec(log)?.[1] ?? '';
    expect(keyFile).not.toBe('');
    expect(
      await stat(keyFile).then(
        () => true,
        () => false,
      ),
    ).toBe(false);
  });
});
