/**
 * Review finding (issue 10, renderers): kustomize's Go YAML applies `<<` merge keys, so a remote
 * base hidden in a merged map must not slip past the reference check. Kustomizations with merge
 * keys (`<<`, a quoted or explicit-key `<<`, or any `!!merge` key) are refused before kustomize runs,
 * and nothing connects to the listener even when kustomize would have the network.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSource } from '../../../lib/adapters/render';
import { checkKustomizeRefs } from '../../../lib/adapters/render/kustomize-refs';
import { helmBin, kustomizeBin } from '../../cluster/binaries';

describe('kustomizations cannot hide references in YAML merge keys', () => {
  let root: string;
  let listener: net.Server;
  let port = 0;
  let connections = 0;
  const remote = () => `https://127.0.0.1:${port}/org/repo//base?ref=main`;
  const write = async (dir: string, text: string) => {
    await mkdir(path.join(root, dir), { recursive: true });
    await writeFile(path.join(root, dir, 'kustomization.yaml'), text);
  };

  beforeAll(async () => {
    listener = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as net.AddressInfo).port;
    root = await mkdtemp(path.join(os.tmpdir(), 'keelson-merge-keys-'));
    await write('plain-merge', `<<: {resources: ["${remote()}"]}\n`);
    await write('anchored', `x-base: &b\n  resources: ["${remote()}"]\n<<: *b\n`);
    await write('merge-list', `<<: [{components: ["${remote()}"]}, {namePrefix: a-}]\n`);
    await write('explicit-key', `? <<\n: {resources: ["${remote()}"]}\n`);
    await write('tagged', `!!merge anything: {resources: ["${remote()}"]}\n`);
    await write('quoted', `"<<": {resources: ["${remote()}"]}\n`);
    await write('nested', `patches:\n  - <<: {path: ../../../../etc/passwd}\n    target: {kind: ConfigMap}\n`);
    await write('anchors-ok', `x: &r cm.yaml\nresources: [*r]\n`);
    await writeFile(
      path.join(root, 'anchors-ok', 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n',
    );
  });

  afterAll(async () => {
    await new Promise((resolve) => listener.close(resolve));
    await rm(root, { recursive: true, force: true });
  });

  it.each(['plain-merge', 'anchored', 'merge-list', 'explicit-key', 'tagged', 'quoted', 'nested'])(
    'refuses the %s form before kustomize runs',
    async (dir) => {
      const check = await checkKustomizeRefs(root, path.join(root, dir), []);
      expect(check.ok).toBe(false);
      expect(!check.ok && check.message).toMatch(
        new RegExp(`${dir}/kustomization.yaml: not valid YAML: YAML merge keys \\(<<\\) are not supported`),
      );
    },
  );

  it('keeps anchors and aliases without merge keys working', async () => {
    expect(await checkKustomizeRefs(root, path.join(root, 'anchors-ok'), [])).toEqual({ ok: true, remote: false });
  });

  it('never lets kustomize fetch a base hidden in a merge key, even unsandboxed (where it has the network)', async () => {
    const tools = {
      helmBin: helmBin(),
      kustomizeBin: kustomizeBin(),
      sandbox: { bwrapPath: '/nonexistent/bwrap', allowUnsandboxed: true },
    };
    for (const dir of ['plain-merge', 'anchored']) {
      const result = await renderSource(root, { path: dir }, tools);
      expect(connections).toBe(0);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error.message).toMatch(/merge keys/);
    }
  });
});
