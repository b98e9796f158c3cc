/**
 * Removes everything a real node put on the host, in order: kubelet and containerd, every process left in the
 * node's cgroups (shims, containers), the mounts under its dirs, its netns files, the bridge and its veths,
 * the cgroup folders, libcni's cache and kubelet's /var/log/containers links, its dirs; the last node out
 * restores the sysctls kubelet changed. Synchronous (usable from exit hooks) and idempotent: it works on a
 * running node, a half-started one and on what a killed run left.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { killCgroup, removeCgroup } from './cgroups';
import {
  claimedSlots,
  HOST_RUN_DIR,
  pidsWithArgs,
  restoreHostIfLast,
  sleepSync,
  slotDir,
  withHostLock,
} from './host-state';
import { layoutOfClusterDir, layoutOfSlot, type NodeLayout } from './layout';
import { unmountUnder } from './mounts';
import { deleteBridge, removeCniCache } from './network';

export interface TeardownReport {
  killed: number[];
  unmounted: number;
  restoredSysctls: string[];
}

/** Processes recorded in `<cluster dir>/pids` (all, or those `names`) that still run their binary. */
function recordedNodePids(clusterDir: string, names?: readonly string[]): number[] {
  const pids: number[] = [];
  const pidDir = join(clusterDir, 'pids');
  const all = existsSync(pidDir) ? readdirSync(pidDir).map((f) => f.replace(/\.pid$/, '')) : [];
  for (const name of names ?? all) {
    const file = join(clusterDir, 'pids', `${name}.pid`);
    if (!existsSync(file)) continue;
    const [pidText = '', bin = ''] = readFileSync(file, 'utf8').trim().split(' ', 2);
    try {
      if (readlinkSync(`/proc/${pidText}/exe`).replace(/ \(deleted\)$/, '') === bin) pids.push(Number(pidText));
    } catch {
      /* not running */
    }
  }
  return pids;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** SIGTERM, then SIGKILL after `graceMs` (kubelet and containerd stop within a second). */
function stopPids(pids: number[], graceMs: number): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
  const deadline = Date.now() + graceMs;
  while (pids.some(alive) && Date.now() < deadline) sleepSync(20);
  for (const pid of pids.filter(alive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

function removeLogLinks(podLogsDir: string): void {
  const dir = '/var/log/containers';
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) {
    try {
      if (readlinkSync(join(dir, f)).startsWith(`${podLogsDir}/`)) rmSync(join(dir, f), { force: true });
    } catch {
      /* not a link */
    }
  }
}

/** Tears down one node's host state; the caller releases the slot (see releaseSlot). */
export function teardownLayout(l: NodeLayout): Omit<TeardownReport, 'restoredSysctls'> {
  stopPids(recordedNodePids(l.clusterDir, ['kubelet', 'containerd']), 3000);
  // The registry serves a read-only store and takes seconds to drain on SIGTERM.
  stopPids(recordedNodePids(l.clusterDir, ['registry']), 0);
  // A kubelet or containerd of this node whose pid file is gone or that runs outside the node's cgroup.
  stopPids(pidsWithArgs([`--root-dir=${l.kubeletRoot} `, `--config ${join(l.nodeDir, 'containerd.toml')} `]), 0);
  const killed = killCgroup(l.cgroupRoot);
  const unmounted = unmountUnder([l.kubeletRoot, l.containerdRoot, l.runDir, l.nodeDir]);
  rmSync(join(l.containerdState, 'io.containerd.grpc.v1.cri', 'netns'), { recursive: true, force: true });
  deleteBridge(l.bridge);
  removeCgroup(l.cgroupRoot);
  removeCniCache(l.cniName);
  removeLogLinks(l.podLogsDir);
  rmSync(l.nodeDir, { recursive: true, force: true });
  return { killed, unmounted };
}

/** Releases the slot dir; the last node out restores the host's sysctls and removes host dirs it created. */
function releaseSlot(l: NodeLayout): string[] {
  return withHostLock(() => {
    if (l.runDir.startsWith(`${HOST_RUN_DIR}/`)) rmSync(l.runDir, { recursive: true, force: true });
    return restoreHostIfLast();
  });
}

/**
 * Tears down the real node of `clusterDir`, if it has (or had) one. With `startedBy`, only a node that process
 * started (exit hooks and failed starts: the dir may hold another process's node by now).
 */
export function teardownRealNode(clusterDir: string, startedBy?: number): TeardownReport | undefined {
  const l = layoutOfClusterDir(clusterDir);
  if (!l) return undefined;
  if (startedBy !== undefined && l.startedBy !== startedBy) return undefined;
  const owner = layoutOfSlot(l.slot)?.clusterDir;
  if (owner !== undefined && owner !== l.clusterDir) {
    // The slot's claim vanished (/run cleared by a reboot) and another cluster holds it now: its bridge,
    // cgroups and sockets are not ours to remove; only our own dir is.
    const unmounted = unmountUnder([l.nodeDir]);
    rmSync(l.nodeDir, { recursive: true, force: true });
    return { killed: [], unmounted, restoredSysctls: [] };
  }
  const report = teardownLayout(l);
  return { ...report, restoredSysctls: releaseSlot(l) };
}

/**
 * Tears down the real nodes of dead clusters: a slot whose cluster dir no longer records it (deleted), or
 * whose cluster has no recorded process left (killed with -9 and never swept). Returns their cluster dirs.
 */
export function sweepOrphanNodes(): string[] {
  const swept: string[] = [];
  for (const slot of claimedSlots()) {
    const l = layoutOfSlot(slot);
    if (!l) {
      // Claimed but never recorded (a start killed inside the claim): remove once clearly abandoned.
      if (Date.now() - statSync(slotDir(slot)).mtimeMs > 60_000)
        rmSync(slotDir(slot), { recursive: true, force: true });
      continue;
    }
    const owned = layoutOfClusterDir(l.clusterDir)?.slot === slot;
    if (owned && recordedNodePids(l.clusterDir).length > 0) continue;
    teardownLayout(l);
    releaseSlot(l);
    swept.push(l.clusterDir);
  }
  return swept;
}
