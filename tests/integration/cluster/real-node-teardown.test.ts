/**
 * A second and a third cluster with real nodes, beside the shared one (own bridge, subnet, cgroup root,
 * ports, sockets): stopping one leaves nothing on the host; nor does `cluster:down` after every process of
 * one was killed with SIGKILL (what the stale-run sweep and down.sh do).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningCluster, startCluster } from '../../cluster/control-plane/start';
import { waitFor } from './cluster';
import { onRealNode, realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();
const repoRoot = join(import.meta.dirname, '..', '..', '..');

const SYSCTLS = [
  'vm/overcommit_memory',
  'vm/panic_on_oom',
  'kernel/panic',
  'kernel/panic_on_oops',
  'kernel/keys/root_maxkeys',
  'kernel/keys/root_maxbytes',
  'net/ipv4/ip_forward',
];
const sysctls = (): Record<string, string> =>
  Object.fromEntries(SYSCTLS.map((s) => [s, readFileSync(`/proc/sys/${s}`, 'utf8').trim()]));

const hasIptables = spawnSync('iptables-save', ['--version'], { stdio: 'ignore' }).status === 0;
/** iptables rules without comments and counters (nothing of a real node may add or change any). */
const iptablesRules = (): string[] =>
  hasIptables
    ? execFileSync('iptables-save', { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => l.replace(/\[\d+:\d+\]/, ''))
    : [];

interface Slot {
  slot: number;
  bridge: string;
  subnet: string;
  cgroupRoot: string;
  nodeDir: string;
  runDir: string;
}

const slotOf = (dir: string): Slot => JSON.parse(readFileSync(join(dir, 'real-node', 'state.json'), 'utf8')) as Slot;

const cgroupDirs = (root: string): string[] =>
  readdirSync('/sys/fs/cgroup')
    .map((h) => join('/sys/fs/cgroup', h, root))
    .filter((d) => existsSync(d));

const mountsUnder = (dirs: string[]): string[] =>
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((p) => dirs.some((d) => p === d || p.startsWith(`${d}/`)));

const linkExists = (name: string): boolean => spawnSync('ip', ['link', 'show', name], { stdio: 'ignore' }).status === 0;

/** Running (a zombie waiting for init to reap it is dead). */
const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** Pids in the node's cgroups (containerd, kubelet, shims, pause and app containers), from one hierarchy. */
const cgroupPids = (root: string): number[] =>
  execFileSync('find', [cgroupDirs(root)[0] ?? '/nonexistent', '-name', 'cgroup.procs'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map(Number));

/** Starts a pod with a disk and a memory emptyDir on the cluster's real node and waits until it runs. */
async function runPodWithEmptyDir(cluster: RunningCluster): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespacedPod({
    namespace: 'default',
    body: {
      metadata: { name: 'scratch' },
      spec: onRealNode({
        volumes: [
          { name: 'disk', emptyDir: {} },
          { name: 'mem', emptyDir: { medium: 'Memory' } },
        ],
        containers: [
          {
            name: 'c',
            image: 'busybox',
            command: ['sh', '-c', 'echo x > /disk/f && echo y > /mem/f && sleep 3600'],
            volumeMounts: [
              { name: 'disk', mountPath: '/disk' },
              { name: 'mem', mountPath: '/mem' },
            ],
          },
        ],
      }),
    },
  });
  await waitFor('pod scratch Running', async () => {
    const p = await core.readNamespacedPod({ namespace: 'default', name: 'scratch' });
    return p.status?.phase === 'Running';
  });
}

/** What a running node has on the host (so the "nothing left" checks below are not vacuous). */
function assertPresent(dir: string, s: Slot, cluster: RunningCluster): number[] {
  expect(cgroupDirs(s.cgroupRoot).length).toBeGreaterThan(0);
  const podPids = cgroupPids(s.cgroupRoot);
  expect(podPids.length).toBeGreaterThanOrEqual(4); // containerd, kubelet, shim, pause, sleep
  expect(mountsUnder([dir, s.runDir]).some((m) => m.includes('/netns/'))).toBe(true);
  expect(mountsUnder([dir, s.runDir]).some((m) => m.includes('kubernetes.io~empty-dir/mem'))).toBe(true);
  expect(linkExists(s.bridge)).toBe(true);
  return [...podPids, ...cluster.processes.map((p) => p.pid)];
}

const cniCacheFiles = (): string[] => (existsSync('/var/lib/cni/results') ? readdirSync('/var/lib/cni/results') : []);

function assertNothingLeft(dir: string, s: Slot, pids: number[], cniBefore: Set<string>): void {
  expect(cgroupDirs(s.cgroupRoot)).toEqual([]);
  expect(mountsUnder([dir, s.runDir])).toEqual([]);
  expect(existsSync(s.runDir)).toBe(false); // netns files lived in <runDir>/state/.../netns
  expect(linkExists(s.bridge)).toBe(false);
  expect(pids.filter(alive)).toEqual([]);
  expect(existsSync(dir)).toBe(false);
  // libcni's cache: nothing of this node's network (and no lo results: containerd brings lo up itself).
  const cniCache = cniCacheFiles().filter((f) => !cniBefore.has(f));
  expect(cniCache.filter((f) => f.startsWith(`keelson-${s.slot}-`) || f.startsWith('cni-loopback-'))).toEqual([]);
  expect(
    existsSync('/var/log/containers') ? readdirSync('/var/log/containers').filter((f) => f.startsWith('scratch_')) : [],
  ).toEqual([]);
  const rules = iptablesRules().join('\n');
  expect(rules).not.toContain(s.bridge);
  expect(rules).not.toContain(s.subnet.replace(/\.0\/24$/, '.'));
}

describe.skipIf(!realNode)('real-node teardown', () => {
  const started: RunningCluster[] = [];
  const parents: string[] = [];
  /** <tmp>/kn-XXXXXX/c (removed with its parent after the tests). */
  const scratchDir = (): string => {
    parents.push(mkdtempSync(join(tmpdir(), 'kn-')));
    return join(parents[parents.length - 1] ?? '', 'c');
  };
  afterAll(async () => {
    for (const c of started) await c.stop().catch(() => undefined);
    for (const p of parents) rmSync(p, { recursive: true, force: true });
  });

  it('stop() leaves no process, cgroup, mount, netns, bridge, sysctl or iptables change behind', async () => {
    if (!hasIptables) console.warn('[real-node] iptables-save is not installed: iptables rules not checked');
    const before = { sysctls: sysctls(), rules: iptablesRules(), cni: new Set(cniCacheFiles()) };
    const dir = scratchDir();
    const t0 = Date.now();
    const cluster = await startCluster({ dir, realNode: true, log: () => undefined });
    started.push(cluster);
    console.info(`[real-node] second cluster with a real node usable in ${Date.now() - t0} ms`);
    const s = slotOf(dir);
    expect(cluster.realNode?.bridge).toBe(s.bridge);
    expect(cluster.realNode?.bridge).not.toBe(realNode?.bridge);
    expect(cluster.realNode?.subnet).not.toBe(realNode?.subnet);
    await runPodWithEmptyDir(cluster);
    const pids = assertPresent(dir, s, cluster);

    const t1 = Date.now();
    await cluster.stop();
    console.info(`[real-node] stop() took ${Date.now() - t1} ms`);
    assertNothingLeft(dir, s, pids, before.cni);
    expect(sysctls()).toEqual(before.sysctls);
    expect(iptablesRules()).toEqual(before.rules);
  });

  it('a node whose kubelet fails to start is torn down by startCluster itself', async () => {
    const lines: string[] = [];
    const dir = scratchDir();
    const start = startCluster({
      dir,
      realNode: true,
      log: (l) => lines.push(l),
      extraArgs: { kubelet: ['--no-such-flag'] },
    }).then((c) => (started.push(c), c));
    await expect(start).rejects.toThrow(/kubelet exited early[\s\S]*no-such-flag/);
    const m = /real node \S+: bridge (\S+) (\S+), cgroup (\S+), sockets in (\S+)/.exec(lines.join('\n'));
    expect(m, lines.join('\n')).not.toBeNull();
    const [, bridge = '', , cgroupRoot = '', runDir = ''] = m ?? [];
    expect(linkExists(bridge)).toBe(false);
    expect(cgroupDirs(cgroupRoot)).toEqual([]);
    expect(existsSync(runDir) && readFileSync(join(runDir, 'owner'), 'utf8') === dir).toBe(false);
    expect(mountsUnder([dir])).toEqual([]);
    expect(existsSync(join(dir, 'real-node'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('cluster:down cleans up a node whose processes were all killed with SIGKILL', async () => {
    const cniBefore = new Set(cniCacheFiles());
    const dir = scratchDir();
    const cluster = await startCluster({ dir, realNode: true, log: () => undefined });
    started.push(cluster);
    const s = slotOf(dir);
    await runPodWithEmptyDir(cluster);
    const pids = assertPresent(dir, s, cluster);

    cluster.detach(); // like a run killed with -9: no exit hook runs
    for (const p of cluster.processes) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    await waitFor('every recorded process dead', async () => cluster.processes.every((p) => !alive(p.pid)));
    // Shims and containers outlive containerd; mounts, bridge and cgroups stay.
    expect(cgroupPids(s.cgroupRoot).length).toBeGreaterThanOrEqual(2);
    expect(linkExists(s.bridge)).toBe(true);

    const down = spawnSync('bash', [join(repoRoot, 'tests/cluster/down.sh'), dir], { encoding: 'utf8' });
    expect(down.status, down.stderr).toBe(0);
    assertNothingLeft(dir, s, pids, cniBefore);
  });
  it('cluster:down unmounts what a kubelet left under a cluster dir whose node record is gone', () => {
    // A kubelet kept running after its dir was half-deleted leaves projected-volume tmpfs mounts that no
    // node record points to; down must still unmount them (rm failed with EBUSY before).
    const dir = scratchDir();
    const volume = join(dir, 'real-node', 'kubelet', 'pods', 'p1', 'volumes', 'kubernetes.io~projected', 'token');
    mkdirSync(volume, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', volume]);
    expect(mountsUnder([dir])).toEqual([volume]);
    const down = spawnSync('bash', [join(repoRoot, 'tests/cluster/down.sh'), dir], { encoding: 'utf8' });
    expect(down.status, down.stderr).toBe(0);
    expect(mountsUnder([dir])).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });
});
