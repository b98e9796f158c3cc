/**
 * Review finding (issue 10): every server-side git command is hardened. It never follows a
 * redirect (its target is not checked), never reads the server's own ~/.gitconfig or ~/.ssh (a
 * private empty HOME; ssh with `-F /dev/null` and only the registered key, never the server's
 * identities), and its failures are a few fixed messages, not git's stderr (which told apart
 * "connection refused", "empty reply" and HTTP errors: a port-scanning oracle).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepoMirrors, isRepoError, type RepoMirrors } from '../../../lib/adapters/git';
import { createTestRepo, serveGitHttp, type GitHttpServer, type TestRepo } from '../support/git-repos';
import { countConnections, type ConnectionCounter } from './connection-counter';

let dir: string;
let mirrors: RepoMirrors;
let trap: ConnectionCounter;
let repo: TestRepo;
let served: GitHttpServer;

const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error & { code?: string },
  );

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'keelson-git-hardening-'));
  // Local repositories on: the test servers live on loopback. What is checked is git's own behaviour.
  mirrors = createRepoMirrors({ cacheDir: path.join(dir, 'cache'), allowLocal: true });
  trap = await countConnections('127.0.0.1');
  repo = await createTestRepo({ name: 'real', files: { 'cm.yaml': 'kind: ConfigMap\n' } });
  served = await serveGitHttp(repo.projectRoot);
});

afterAll(async () => {
  await trap.close();
  await served.close();
  await repo.cleanup();
  await rm(dir, { recursive: true, force: true });
});

async function httpServer(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('server-side git', () => {
  it('does not follow a redirect (here to a loopback port): the target receives nothing', async () => {
    const redirecting = await httpServer((req, res) => {
      res.writeHead(301, { Location: `http://127.0.0.1:${trap.port}${req.url}` }).end();
    });
    try {
      const err = await errorOf(mirrors.resolveRevision({ url: `${redirecting.url}/org/moved.git` }, 'main'));
      expect(isRepoError(err) && err.code).toBe('REDIRECTED');
      expect(err.message).toMatch(/redirect.*current URL/);
      expect(trap.count()).toBe(0);
    } finally {
      await redirecting.close();
    }
  });

  it("ignores the server's ~/.gitconfig (url.insteadOf to another host, core.sshCommand)", async () => {
    const home = path.join(dir, 'home-gitconfig');
    const marker = path.join(dir, 'ssh-command-ran');
    await rm(home, { recursive: true, force: true });
    await (await import('node:fs/promises')).mkdir(home, { recursive: true });
    await writeFile(
      path.join(home, '.gitconfig'),
      `[url "http://127.0.0.1:${trap.port}/"]\n\tinsteadOf = ${served.baseUrl}/\n[core]\n\tsshCommand = touch ${marker}\n`,
    );
    const saved = process.env.HOME;
    process.env.HOME = home;
    try {
      expect(await mirrors.resolveRevision({ url: served.url('real') }, 'main')).toBe(await repo.sha());
      expect(trap.count()).toBe(0);
      await errorOf(mirrors.resolveRevision({ url: 'ssh://git@127.0.0.1:9/org/repo.git' }, 'main'));
      expect(existsSync(marker)).toBe(false);
    } finally {
      process.env.HOME = saved;
    }
  });

  it("never offers the server's own ssh identities or reads its ssh config: only the registered key", async () => {
    const realSsh = execFileSync('sh', ['-c', 'command -v ssh'], { encoding: 'utf8' }).trim();
    const bin = path.join(dir, 'bin');
    const log = path.join(dir, 'ssh-effective-config.log');
    await (await import('node:fs/promises')).mkdir(bin, { recursive: true });
    // `ssh -G` prints the configuration ssh would use with these arguments, then exits.
    await writeFile(
      path.join(bin, 'ssh'),
      `#!/bin/sh\n'${realSsh}' -G "$@" >> '${log}' 2>&1\necho '--' >> '${log}'\nexit 255\n`,
    );
    await chmod(path.join(bin, 'ssh'), 0o755);
    const savedPath = process.env.PATH;
    process.env.PATH = `${bin}:${savedPath}`;
    try {
      await errorOf(mirrors.resolveRevision({ url: `ssh://git@localhost:${trap.port}/org/repo.git` }, 'main'));
      const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----';
      await errorOf(
        mirrors.resolveRevision(
          { url: `ssh://git@localhost:${trap.port}/org/other.git`, credentials: { sshPrivateKey: key } },
          'main',
        ),
      );
    } finally {
      process.env.PATH = savedPath;
    }
    const [withoutKey, withKey] = (await readFile(log, 'utf8')).split('--\n');
    const identities = (text: string) => text.split('\n').filter((l) => l.startsWith('identityfile '));
    expect(identities(withoutKey)).toEqual(['identityfile /dev/null']);
    expect(identities(withKey)).toHaveLength(1);
    expect(identities(withKey)[0]).toMatch(/^identityfile \/.*keelson-ssh-.*\/id$/);
    for (const text of [withoutKey, withKey]) {
      expect(text).toContain('identitiesonly yes');
      expect(text).toContain('batchmode yes');
      expect(text).toContain('hostname 127.0.0.1');
      expect(text).not.toMatch(/^proxycommand /m);
    }
    expect(trap.count()).toBe(0);
  });

  it('answers refused, silent, non-git and erroring ports with one message that echoes nothing git said', async () => {
    const closed = await countConnections('127.0.0.1');
    await closed.close();
    const banner = await countConnections('127.0.0.1', (socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n'));
    const erroring = await httpServer((_req, res) => res.writeHead(500).end('database connection failed at 10.0.0.7'));
    try {
      const targets = [`http://127.0.0.1:${closed.port}`, `http://127.0.0.1:${banner.port}`, erroring.url];
      const messages = await Promise.all(
        targets.map(async (base) => {
          const err = await errorOf(mirrors.resolveRevision({ url: `${base}/org/repo.git` }, 'main'));
          expect(isRepoError(err) && err.code).toBe('UNREACHABLE');
          return err.message.replace(base, 'URL');
        }),
      );
      expect(new Set(messages).size).toBe(1);
      expect(messages[0]).not.toMatch(
        /refused:|Failed to connect|Empty reply|HTTP\/0\.9|returned error|500|10\.0\.0\.7|fatal/i,
      );
    } finally {
      await banner.close();
      await erroring.close();
    }
  });
});
