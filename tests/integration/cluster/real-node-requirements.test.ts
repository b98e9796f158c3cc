/**
 * A host that cannot run a real node is told what is missing, before anything starts: not root, or the
 * node's binaries not built (a cache dir holding only the control plane).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { binaryPath, componentVersion, controlPlaneBinaries } from '../../cluster/binaries';
import { startCluster } from '../../cluster/control-plane/start';
import { realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();
const repoRoot = join(import.meta.dirname, '..', '..', '..');
const canDropRoot = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0;

describe.skipIf(!realNode)('real-node requirements', () => {
  const savedCache = process.env.KEELSON_CACHE_DIR;
  afterEach(() => {
    if (savedCache === undefined) delete process.env.KEELSON_CACHE_DIR;
    else process.env.KEELSON_CACHE_DIR = savedCache;
  });

  it.skipIf(!canDropRoot)('without root, the check says a real node needs root', () => {
    const script =
      "import('./tests/cluster/control-plane/real-node/requirements.ts')" +
      '.then((m) => console.log(JSON.stringify(m.realNodeProblems())))';
    const res = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', join(repoRoot, 'node_modules/.bin/tsx'), '-e', script],
      { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, HOME: mkdtempSync(join(tmpdir(), 'nobody-')) } },
    );
    expect(res.status, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout.trim().split('\n').pop() ?? '[]')).toEqual([
      'a real node needs root (kubelet, containerd, bridges and cgroups)',
    ]);
  });

  it('without the node binaries, startCluster({ realNode: true }) names them and starts nothing', async () => {
    // A cache with the control plane only (links to the real binaries).
    const cache = mkdtempSync(join(tmpdir(), 'kcache-'));
    for (const b of controlPlaneBinaries) {
      const component = b === 'etcd' ? 'etcd' : b === 'kwok' ? 'kwok' : 'k8s';
      const bin = join(cache, component, componentVersion(component), 'bin');
      mkdirSync(bin, { recursive: true });
      symlinkSync(binaryPath(b), join(bin, b));
    }
    process.env.KEELSON_CACHE_DIR = cache;
    const dir = join(mkdtempSync(join(tmpdir(), 'kn-')), 'c');
    await expect(startCluster({ dir, realNode: true, log: () => undefined })).rejects.toThrow(
      /this host cannot run a real node: binaries not built: kubelet, containerd, containerd-shim-runc-v2, ctr, bridge, host-local, loopback, entrypoint \(bash tests\/cluster\/build\.sh k8s containerd cni tekton\)/,
    );
    expect(existsSync(dir)).toBe(false);
    const owners = (existsSync('/run/keelson') ? readdirSync('/run/keelson') : [])
      .filter((e) => /^\d+$/.test(e))
      .map((e) => join('/run/keelson', e, 'owner'))
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f, 'utf8'));
    expect(owners).not.toContain(dir);
  });
});
