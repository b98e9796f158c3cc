/**
 * Hole 9 of issue 10: kustomize and helm must see only the checkout. Each attack is a repository
 * an attacker could point an Application at: a base outside the checkout, remote bases (which
 * would reach the network from the server), a file:// git base, symlinks that leave the checkout,
 * and a helm file:// dependency. Each render must fail with a message, the marker secret kept
 * outside the checkout must not appear anywhere, and no connection may reach the listener.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepoMirrors } from '../../../lib/adapters/git';
import { renderSource, type RenderTools } from '../../../lib/adapters/render';
import { helmBin, kustomizeBin } from '../../cluster/binaries';
import { createTestRepo, git, type TestRepo } from '../support/git-repos';

const SECRET = 'render-marker-secret-83d2a1';
const configMap = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  secret: ${SECRET}\n`;
const kustomization = (resources: string[]) => `resources:\n${resources.map((r) => `  - ${r}`).join('\n')}\n`;
const chart = (extra = '') => `apiVersion: v2\nname: app\nversion: 0.1.0\n${extra}`;

describe('renderers cannot leave the checkout (issue 10, hole 9)', () => {
  let base: string;
  let tools: RenderTools;
  let listener: net.Server;
  let port = 0;
  let connections = 0;
  let repo: TestRepo;
  let secretRepo: TestRepo;
  let root: string;
  let mirrors: ReturnType<typeof createRepoMirrors>;

  beforeAll(async () => {
    tools = { helmBin: helmBin(), kustomizeBin: kustomizeBin() };
    // base/ holds what an escape would find: the mirrors' cache (and so the checkout) and secrets beside it.
    base = await mkdtemp(path.join(os.tmpdir(), 'keelson-render-sec-'));
    await mkdir(path.join(base, 'outside'));
    await writeFile(path.join(base, 'outside', 'kustomization.yaml'), kustomization(['cm.yaml']));
    await writeFile(path.join(base, 'outside', 'cm.yaml'), configMap('outside'));
    await writeFile(path.join(base, 'secret.yaml'), configMap('leaked'));
    await mkdir(path.join(base, 'outside-chart', 'templates'), { recursive: true });
    await writeFile(path.join(base, 'outside-chart', 'Chart.yaml'), 'apiVersion: v2\nname: outside\nversion: 0.1.0\n');
    await writeFile(path.join(base, 'outside-chart', 'templates', 'cm.yaml'), configMap('outside-chart'));
    listener = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as net.AddressInfo).port;
    secretRepo = await createTestRepo({
      name: 'secret-base',
      files: { 'base/kustomization.yaml': kustomization(['cm.yaml']), 'base/cm.yaml': configMap('file-base') },
    });
    // The checkout lands in base/cache/checkouts/<sha>/, so `../../../..` from a top-level folder is base/.
    repo = await createTestRepo({
      name: 'attacks',
      files: {
        'k-outside/kustomization.yaml': kustomization(['../../../../outside']),
        'k-remote-git/kustomization.yaml': kustomization([`https://127.0.0.1:${port}/org/repo//base?ref=main`]),
        'k-remote-http/kustomization.yaml': kustomization([`http://127.0.0.1:${port}/cm.yaml`]),
        'k-remote-short/kustomization.yaml': kustomization([`127.0.0.1:${port}/org/repo//base`]),
        'k-file-git/kustomization.yaml': kustomization([`file://${secretRepo.bareDir}//base?ref=main`]),
        'k-ext/kustomization.yaml': kustomization([`"ext::sh -c touch% ${path.join(os.tmpdir(), 'keelson-ext-ran')}"`]),
        'k-generator/kustomization.yaml':
          'configMapGenerator:\n  - name: g\n    files:\n      - s=../../../../secret.yaml\n',
        'h-dep/Chart.yaml': chart(
          'dependencies:\n  - name: outside\n    version: 0.1.0\n    repository: file://../../../../outside-chart\n',
        ),
        'h-dep/charts/.keep': '',
        'k-ok/kustomization.yaml': kustomization(['cm.yaml']),
        'k-ok/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mine\n',
        'h-dep/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mine\n',
      },
    });
    mirrors = createRepoMirrors({ cacheDir: path.join(base, 'cache'), allowLocal: true });
    const sha = await mirrors.resolveRevision({ url: repo.url }, 'main');
    root = await mirrors.readTree({ url: repo.url }, sha, '');
  });

  afterAll(async () => {
    await new Promise((resolve) => listener.close(resolve));
    await repo.cleanup();
    await secretRepo.cleanup();
    await rm(base, { recursive: true, force: true });
  });

  async function expectRefused(checkout: string, source: Parameters<typeof renderSource>[1], message: RegExp) {
    const result = await renderSource(checkout, source, tools);
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(message);
  }

  it('refuses a kustomize base outside the checkout (resources: [../../../../outside])', async () => {
    await expectRefused(root, { path: 'k-outside' }, /outside the repository/);
  });

  it('refuses a generator file outside the checkout', async () => {
    await expectRefused(root, { path: 'k-generator' }, /outside the repository/);
  });

  it('refuses remote bases (git over https, a plain http file, a host-style ref) without any connection', async () => {
    await expectRefused(root, { path: 'k-remote-git' }, /remote bases are refused.*KEELSON_RENDER_ALLOWED_HOSTS/);
    await expectRefused(root, { path: 'k-remote-http' }, /remote bases are refused/);
    await expectRefused(root, { path: 'k-remote-short' }, /remote bases are refused/);
    expect(connections).toBe(0);
  });

  it('keeps the network only for a remote base whose host is allowed (git then speaks https only)', async () => {
    const before = connections;
    const allowed = await renderSource(
      root,
      { path: 'k-remote-git' },
      { ...tools, sandbox: { allowedHosts: [`127.0.0.1:${port}`] } },
    );
    expect(allowed.ok).toBe(false);
    expect(connections).toBeGreaterThan(before);
    const http = await renderSource(
      root,
      { path: 'k-remote-http' },
      { ...tools, sandbox: { allowedHosts: ['127.0.0.2'] } },
    );
    expect(!http.ok && http.error.message).toMatch(/add 127\.0\.0\.1:\d+ to KEELSON_RENDER_ALLOWED_HOSTS/);
  });

  it('fails closed without bubblewrap, saying how to fix it; KEELSON_ALLOW_UNSANDBOXED=true opts out', async () => {
    const source = { path: 'k-ok' };
    const closed = await renderSource(root, source, { ...tools, sandbox: { bwrapPath: '/nonexistent/bwrap' } });
    expect(!closed.ok && closed.error.message).toMatch(
      /run only in a sandbox.*install bubblewrap.*KEELSON_ALLOW_UNSANDBOXED=true/,
    );
    const open = await renderSource(root, source, {
      ...tools,
      sandbox: { bwrapPath: '/nonexistent/bwrap', allowUnsandboxed: true },
    });
    expect(open.ok && open.objects.map((o) => o.metadata?.name)).toEqual(['mine']);
    const confined = await renderSource(root, source, tools);
    expect(confined.ok && confined.objects.map((o) => o.metadata?.name)).toEqual(['mine']);
  });

  it('refuses file:// and ext:: git bases even though local repositories are allowed here', async () => {
    await expectRefused(root, { path: 'k-file-git' }, /local and ext:: git bases are refused/);
    await expectRefused(root, { path: 'k-ext' }, /local and ext:: git bases are refused/);
    expect(existsSync(path.join(os.tmpdir(), 'keelson-ext-ran'))).toBe(false);
  });

  it('refuses a helm file:// dependency outside the checkout', async () => {
    await expectRefused(root, { path: 'h-dep' }, /dependencies\[0\]\.repository .* outside the repository/);
  });

  it('refuses a repository whose symlinks leave the checkout through another link (l -> ../.., a -> l/../../../x)', async () => {
    const links = await createTestRepo({
      name: 'links',
      files: { 'app/a/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n' },
    });
    try {
      await symlink('../..', path.join(links.workDir, 'app/a/l'));
      // Read as text this stays inside (app/a/l/../../../secret.yaml = secret.yaml); on disk it is base/secret.yaml.
      await symlink('l/../../../secret.yaml', path.join(links.workDir, 'app/a/leak.yaml'));
      await git(links.workDir, 'add', '-A');
      await git(links.workDir, 'commit', '--quiet', '-m', 'links');
      await git(links.workDir, 'push', '--quiet', '--force', '--mirror', 'origin');
      const sha = await mirrors.resolveRevision({ url: links.url }, 'main');
      const tree = await mirrors.readTree({ url: links.url }, sha, '').then(
        (dir) => renderSource(dir, { path: 'app/a' }, tools),
        (error: Error) => error,
      );
      expect(JSON.stringify(tree)).not.toContain(SECRET);
      expect(String(tree)).toMatch(/out-of-bounds symlinks: app\/a\/leak\.yaml/);
    } finally {
      await links.cleanup();
    }
  });

  describe('symlinks in a checkout folder that was not made by the mirrors', () => {
    let dir: string;
    beforeAll(async () => {
      // base/tree is the checkout; base/secret.yaml the secret one level above it.
      dir = path.join(base, 'tree');
      for (const folder of ['plain', 'kust', 'chart/templates'])
        await mkdir(path.join(dir, folder), { recursive: true });
      await symlink('../secret.yaml', path.join(dir, 'plain', 'leak.yaml'));
      await writeFile(path.join(dir, 'kust', 'kustomization.yaml'), kustomization(['leak.yaml']));
      await symlink(path.join(base, 'secret.yaml'), path.join(dir, 'kust', 'leak.yaml'));
      await writeFile(path.join(dir, 'chart', 'Chart.yaml'), chart());
      await symlink('../../../secret.yaml', path.join(dir, 'chart', 'templates', 'leak.yaml'));
      await symlink(path.join(base, 'secret.yaml'), path.join(dir, 'chart', 'values-leak.yaml'));
    });

    it('plain YAML does not follow a link out of the checkout', async () => {
      await expectRefused(dir, { path: 'plain' }, /points outside the repository/);
    });

    it('kustomize does not read a resource linked from outside the checkout', async () => {
      await expectRefused(dir, { path: 'kust' }, /outside the repository/);
    });

    it('helm does not read a template or a value file linked from outside the checkout', async () => {
      await expectRefused(dir, { path: 'chart', helm: { valueFiles: ['values-leak.yaml'] } }, /outside the repository/);
      await expectRefused(dir, { path: 'chart' }, /.+/);
    });

    it('a Chart.yaml linked to /dev/zero is not read by the server (it would fill its memory)', async () => {
      await mkdir(path.join(dir, 'zero-chart', 'templates'), { recursive: true });
      await symlink('/dev/zero', path.join(dir, 'zero-chart', 'Chart.yaml'));
      const result = await Promise.race([
        renderSource(dir, { path: 'zero-chart' }, tools),
        new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 15_000).unref()),
      ]);
      expect(result).not.toBe('hung');
      expect(result !== 'hung' && result.ok).toBe(false);
    }, 30_000);
  });
});
