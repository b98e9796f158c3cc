import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type BinaryName, binaryPath, cacheDir, clusterSrcDir, componentVersion } from '../../cluster/binaries';

const names: BinaryName[] = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubectl',
  'kubelet',
  'etcd',
  'kwok',
  'helm',
  'kustomize',
  'containerd',
  'containerd-shim-runc-v2',
  'ctr',
  'bridge',
  'host-local',
  'loopback',
  'entrypoint',
];
const saved = { ...process.env };

describe('binary paths', () => {
  afterEach(() => {
    process.env = { ...saved };
  });

  it('binaries.ts and paths.sh agree on every path', () => {
    const out = execFileSync('bash', [join(clusterSrcDir, 'paths.sh')], { encoding: 'utf8' });
    const fromShell = Object.fromEntries(
      out
        .trim()
        .split('\n')
        .map((l) => l.split('=', 2) as [string, string]),
    );
    expect(Object.keys(fromShell).sort()).toEqual([...names].sort());
    for (const name of names) expect(fromShell[name]).toBe(binaryPath(name));
  });

  it('paths are keyed by the version pinned in the wrapper go.mod', () => {
    expect(componentVersion('k8s')).toMatch(/^v1\.\d+\.\d+$/);
    expect(binaryPath('kube-apiserver')).toBe(
      join(cacheDir(), 'k8s', componentVersion('k8s'), 'bin', 'kube-apiserver'),
    );
    expect(binaryPath('etcd')).toContain(`/etcd/${componentVersion('etcd')}/bin/etcd`);
    expect(componentVersion('tekton')).toBe('v1.15.0');
    expect(binaryPath('entrypoint')).toBe(join(cacheDir(), 'tekton', 'v1.15.0', 'bin', 'entrypoint'));
  });

  it('honours KEELSON_CACHE_DIR, KEELSON_HELM_BIN and KEELSON_KUSTOMIZE_BIN', () => {
    process.env.KEELSON_CACHE_DIR = '/opt/keelson-cache';
    process.env.KEELSON_HELM_BIN = '/usr/local/bin/helm';
    process.env.KEELSON_KUSTOMIZE_BIN = 'relative/kustomize';
    expect(binaryPath('kwok')).toBe(`/opt/keelson-cache/kwok/${componentVersion('kwok')}/bin/kwok`);
    expect(binaryPath('helm')).toBe('/usr/local/bin/helm');
    expect(binaryPath('kustomize')).toBe(join(process.cwd(), 'relative/kustomize'));
    const shell = execFileSync('bash', [join(clusterSrcDir, 'paths.sh'), 'helm', 'kwok'], {
      encoding: 'utf8',
      env: process.env,
    });
    expect(shell.trim().split('\n')).toEqual(['/usr/local/bin/helm', binaryPath('kwok')]);
  });
});
