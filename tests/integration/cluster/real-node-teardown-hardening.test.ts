/**
 * Teardown runs as root: it trusts no record. A state.json naming paths outside its dir, another cluster dir,
 * an impossible slot or cgroup "/", or one that is a symlink, is refused with nothing touched (also by the sweep,
 * for /run/keelson/<n>/state.json); a pid file is honoured only for the very process (start time, boot id); a
 * node whose record was deleted under its running kubelet is still stopped by `cleanupDir`.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { bootId, livePidOfFile, processStartTime } from '../../cluster/control-plane/pid-files';
import { cleanupDir } from '../../cluster/control-plane/processes';
import { pidsWithArgv, slotDir } from '../../cluster/control-plane/real-node/host-state';
import { nodeLayout } from '../../cluster/control-plane/real-node/layout';
import { sweepOrphanNodes, teardownRealNode } from '../../cluster/control-plane/real-node/teardown';
import { type RunningCluster, startCluster } from '../../cluster/control-plane/start';
import { waitFor } from './cluster';
import { onRealNode, realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();
const repoRoot = join(import.meta.dirname, '..', '..', '..');
const SLOT = 497; // 10.213.243.0/24: far above what the tests claim

const scratch = (): string => mkdtempSync(join(tmpdir(), 'knh-'));

function writeRecord(file: string, record: object): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
}

const down = (dir: string): ReturnType<typeof spawnSync> =>
  spawnSync('bash', [join(repoRoot, 'tests/cluster/down.sh'), dir], { encoding: 'utf8' });

const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe.skipIf(!realNode)('real-node teardown trusts no record', () => {
  it('a state.json naming paths outside its dir is refused by teardown and cluster:down, nothing removed', () => {
    expect(existsSync(slotDir(SLOT))).toBe(false);
    const base = scratch();
    const dir = join(base, 'c');
    const canaries = [join(base, 'canary-outside'), join(base, 'canary2')];
    for (const c of canaries) writeRecord(join(c, 'keep'), {});
    const file = join(dir, 'real-node', 'state.json');
    // The reviewer's record: `..` beat the old startsWith('/run/keelson/') guard.
    writeRecord(file, { ...nodeLayout(dir, SLOT), nodeDir: canaries[0], runDir: `/run/keelson/../..${canaries[1]}` });
    expect(() => teardownRealNode(dir)).toThrow(/nodeDir is .*canary-outside.*expected .*real-node"; runDir is/);
    const r = down(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/stop failed: real node record .*refusing to tear anything down/);
    for (const c of canaries) expect(existsSync(join(c, 'keep'))).toBe(true);
    expect(existsSync(file)).toBe(true);

    const variants: [object, RegExp][] = [
      [{ cgroupRoot: '/' }, /cgroupRoot is "\/", expected "\/keelson-497"/],
      [{ nodeDir: '/etc' }, /nodeDir is "\/etc"/],
      [{ bridge: 'eth0' }, /bridge is "eth0"/],
      [{ slot: 0 }, /slot 0 is not an integer in 1\.\.508/],
      [{ slot: '1' }, /slot "1" is not an integer/],
      [{ slot: 2.5 }, /slot 2.5 is not an integer/],
      [{ clusterDir: `${dir}/../c` }, /not a normalized absolute path/],
      [{ extra: '/etc' }, /unknown fields extra/],
    ];
    for (const [override, message] of variants) {
      writeRecord(file, { ...nodeLayout(dir, SLOT), ...override });
      expect(() => teardownRealNode(dir), JSON.stringify(override)).toThrow(message);
    }
    rmSync(base, { recursive: true, force: true });
  });

  it("another cluster dir's record copied in is refused; its node dir stays", () => {
    const [a, b] = [join(scratch(), 'a'), join(scratch(), 'b')];
    writeRecord(join(b, 'real-node', 'keep'), {});
    writeRecord(join(a, 'real-node', 'state.json'), nodeLayout(b, SLOT));
    expect(() => teardownRealNode(a)).toThrow(/it names cluster dir .*\/b, not .*\/a;/);
    expect(existsSync(join(b, 'real-node', 'keep'))).toBe(true);
    for (const d of [a, b]) rmSync(join(d, '..'), { recursive: true, force: true });
  });

  it('a symlinked state.json or real-node dir is refused (it could point at /run/keelson/<n>/state.json)', () => {
    const base = scratch();
    const dir = join(base, 'c');
    const elsewhere = join(base, 'elsewhere.json');
    writeRecord(elsewhere, nodeLayout(dir, SLOT)); // a record that checks out in every field
    mkdirSync(join(dir, 'real-node'), { recursive: true });
    symlinkSync(elsewhere, join(dir, 'real-node', 'state.json'));
    expect(() => teardownRealNode(dir)).toThrow(/state\.json is not a regular file/);
    expect(existsSync(join(dir, 'real-node'))).toBe(true);

    rmSync(join(dir, 'real-node'), { recursive: true });
    writeRecord(join(base, 'other', 'state.json'), nodeLayout(dir, SLOT));
    symlinkSync(join(base, 'other'), join(dir, 'real-node'));
    expect(() => teardownRealNode(dir)).toThrow(/real-node is not a directory/);
    expect(existsSync(join(base, 'other', 'state.json'))).toBe(true);
    rmSync(base, { recursive: true, force: true });
  });

  it('the sweep leaves a slot alone whose /run/keelson record names paths outside its cluster dir', () => {
    expect(existsSync(slotDir(SLOT))).toBe(false);
    const base = scratch();
    const canary = join(base, 'canary');
    writeRecord(join(canary, 'keep'), {});
    try {
      writeRecord(join(slotDir(SLOT), 'state.json'), { ...nodeLayout(join(base, 'gone'), SLOT), nodeDir: canary });
      writeFileSync(join(slotDir(SLOT), 'owner'), join(base, 'gone'));
      expect(sweepOrphanNodes()).not.toContain(join(base, 'gone'));
      expect(existsSync(join(canary, 'keep'))).toBe(true);
      expect(existsSync(slotDir(SLOT))).toBe(true);
    } finally {
      rmSync(slotDir(SLOT), { recursive: true, force: true });
      rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('pid files: only the very process that was started', () => {
  it('a pid file whose start time or boot id differs is not killed by cleanupDir', async () => {
    const sleeper = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    const pid = sleeper.pid ?? 0;
    const exe = readlinkSync(`/proc/${pid}/exe`);
    const start = processStartTime(pid) ?? '';
    const dir = scratch();
    const file = (name: string): string => join(dir, 'pids', `${name}.pid`);
    try {
      writeRecord(file('ok'), {});
      writeFileSync(file('ok'), `${pid} ${exe} ${start} ${bootId()}\n`);
      expect(livePidOfFile(file('ok'))).toBe(pid);
      writeFileSync(file('ok'), `${pid} ${exe}\n`); // old format, written after the process started
      expect(livePidOfFile(file('ok'))).toBe(pid);
      utimesSync(file('ok'), new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
      expect(livePidOfFile(file('ok'))).toBeUndefined(); // written an hour before this process started
      rmSync(file('ok'));

      writeFileSync(file('registry'), `${pid} ${exe} ${Number(start) - 1} ${bootId()}\n`);
      writeFileSync(file('kubelet'), `${pid} ${exe} ${start} 00000000-0000-0000-0000-000000000000\n`);
      expect(livePidOfFile(file('registry'))).toBeUndefined();
      expect(livePidOfFile(file('kubelet'))).toBeUndefined();
      expect(await cleanupDir(dir)).toEqual([]);
      expect(alive(pid)).toBe(true);
      expect(existsSync(dir)).toBe(false);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });
});

const logLinksInto = (dir: string): string[] =>
  existsSync('/var/log/containers')
    ? readdirSync('/var/log/containers').filter((f) => {
        try {
          return readlinkSync(join('/var/log/containers', f)).startsWith(`${dir}/`);
        } catch {
          return false;
        }
      })
    : [];

/** A cluster whose real node runs a pod that logs (so kubelet made a /var/log/containers link). */
async function clusterWithLoggingPod(dir: string, started: RunningCluster[]): Promise<() => number[]> {
  const cluster = await startCluster({ dir, realNode: true, log: () => undefined });
  started.push(cluster);
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  await kc.makeApiClient(CoreV1Api).createNamespacedPod({
    namespace: 'default',
    body: {
      metadata: { name: 'talker' },
      spec: onRealNode({ containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo hi; sleep 3600'] }] }),
    },
  });
  await waitFor('a log link into the node dir', async () => logLinksInto(dir).length > 0);
  cluster.detach();
  const l = nodeLayout(dir, 1); // only the dir-derived paths
  const byArgs = (): number[] =>
    pidsWithArgv([[`--root-dir=${l.kubeletRoot}`], ['--config', join(l.nodeDir, 'containerd.toml')]]);
  expect(byArgs()).toHaveLength(2);
  return byArgs;
}

describe.skipIf(!realNode)('a node teardown cannot find in full still has its processes stopped', () => {
  const started: RunningCluster[] = [];
  afterAll(async () => {
    for (const c of started) await c.stop().catch(() => undefined);
  });

  it('record deleted under a running kubelet: cleanupDir stops kubelet and containerd, removes log links', async () => {
    const dir = join(scratch(), 'c');
    const byArgs = await clusterWithLoggingPod(dir, started);
    // Half-deleted: the record and the node's pid files are gone, kubelet and containerd still run.
    for (const f of ['real-node/state.json', 'pids/kubelet.pid', 'pids/containerd.pid']) rmSync(join(dir, f));
    try {
      await cleanupDir(dir);
      expect(byArgs()).toEqual([]);
      expect(logLinksInto(dir)).toEqual([]);
      expect(existsSync(dir)).toBe(false);
    } finally {
      const r = down(dir); // whatever the sweep still finds
      rmSync(join(dir, '..'), { recursive: true, force: true });
      expect(r.status, String(r.stderr)).toBe(0);
    }
  });

  it("slot held by another cluster dir: teardown removes only this dir's node, its processes stopped first", async () => {
    const dir = join(scratch(), 'c');
    const byArgs = await clusterWithLoggingPod(dir, started);
    const slot = (JSON.parse(readFileSync(join(dir, 'real-node', 'state.json'), 'utf8')) as { slot: number }).slot;
    const slotRecord = join(slotDir(slot), 'state.json');
    const original = readFileSync(slotRecord, 'utf8');
    // As after a reboot: the claim vanished and another cluster dir claimed (and recorded) the slot.
    writeRecord(slotRecord, nodeLayout(join(tmpdir(), 'knh-other', 'c'), slot));
    try {
      const report = teardownRealNode(dir);
      expect(report?.killed).toEqual([]);
      expect(byArgs()).toEqual([]);
      expect(logLinksInto(dir)).toEqual([]);
      expect(existsSync(join(dir, 'real-node'))).toBe(false);
      expect(existsSync(slotDir(slot))).toBe(true); // the other cluster's slot stays
    } finally {
      writeFileSync(slotRecord, original);
      const r = down(dir); // the slot's record names this dir again: its cgroups, bridge and slot go
      rmSync(join(dir, '..'), { recursive: true, force: true });
      expect(r.status, String(r.stderr)).toBe(0);
      expect(existsSync(slotDir(slot))).toBe(false);
    }
  });
});
