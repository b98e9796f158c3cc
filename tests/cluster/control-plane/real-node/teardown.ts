/**
 * Removes everything a real node put on the host, in order: kubelet and containerd, every process left in the
 * node's cgroups (shims, containers), the mounts under its dirs, its netns files, the bridge and its veths,
 * the cgroup folders, libcni's cache and kubelet's /var/log/containers links, its dirs; the last node out
 * restores the sysctls kubelet changed. Synchronous (usable from exit hooks) and idempotent: it works on a
 * running node, a half-started one and on what a killed run left.
 */
import { existsSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { livePids, running } from '../pid-files';
import { killCgroup, removeCgroup } from './cgroups';
import { claimedSlots, pidsWithArgv, restoreHostIfLast, sleepSync, slotDir, withHostLock } from './host-state';
import { layoutOfClusterDir, layoutOfSlot, nodeLayout, type NodeLayout, ownerOfSlot } from './layout';
import { localVolumesConfigPath } from './local-volumes';
import { unmountUnder } from './mounts';
import { deleteBridge, removeCniCache } from './network';

export interface TeardownReport {
  killed: number[];
  unmounted: number;
  restoredSysctls: string[];
}

const alive = running; // a zombie whose parent is blocked counts as stopped

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

/** kubelet's /var/log/containers links that point into `nodeDir`. */
function removeLogLinks(nodeDir: string): void {
  const dir = '/var/log/containers';
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) {
    try {
      if (readlinkSync(join(dir, f)).startsWith(`${nodeDir}/`)) rmSync(join(dir, f), { force: true });
    } catch {
      /* not a link */
    }
  }
}

/**
 * Stops the kubelet, containerd, local-volumes provisioner and registry of the node dir of `clusterDir`: by pid file, and (escaped from
 * the node's cgroup, pid file lost, record deleted under them) by their exact arguments; then removes the node's
 * log links. Touches nothing outside that dir but those processes and links.
 */
function stopNodeOfDir(clusterDir: string): void {
  const l = nodeLayout(clusterDir, 1); // only the dir-derived paths are used
  const runtime = pidsWithArgv([
    [`--root-dir=${l.kubeletRoot}`],
    [`--config=${join(l.nodeDir, 'kubelet-config.json')}`],
    ['--config', join(l.nodeDir, 'containerd.toml')],
    ['--config', localVolumesConfigPath(l.nodeDir)],
  ]);
  stopPids([...new Set([...livePids(clusterDir, ['kubelet', 'containerd', 'local-volumes']), ...runtime])], 3000);
  // The registry serves a read-only store and takes seconds to drain on SIGTERM.
  const registry = pidsWithArgv([['serve', join(l.nodeDir, 'registry.yml')]]);
  stopPids([...new Set([...livePids(clusterDir, ['registry']), ...registry])], 0);
  removeLogLinks(l.nodeDir);
}

/** True unless `clusterDir` now holds another node (another slot) or a record that does not check out. */
function dirBelongsTo(l: NodeLayout): boolean {
  try {
    const current = layoutOfClusterDir(l.clusterDir);
    return current === undefined || current.slot === l.slot;
  } catch {
    return false;
  }
}

/**
 * Tears down one node's host state (`l` comes checked from layout.ts); the caller releases the slot (see
 * releaseSlot). When its cluster dir holds another node by now, only the slot's own state goes.
 */
export function teardownLayout(l: NodeLayout): Omit<TeardownReport, 'restoredSysctls'> {
  const ownDir = dirBelongsTo(l);
  if (ownDir) stopNodeOfDir(l.clusterDir);
  const killed = killCgroup(l.cgroupRoot);
  const unmounted = unmountUnder(ownDir ? [l.runDir, l.nodeDir] : [l.runDir]);
  rmSync(join(l.containerdState, 'io.containerd.grpc.v1.cri', 'netns'), { recursive: true, force: true });
  deleteBridge(l.bridge);
  removeCgroup(l.cgroupRoot);
  removeCniCache(l.cniName);
  if (ownDir) {
    removeLogLinks(l.nodeDir);
    rmSync(l.nodeDir, { recursive: true, force: true });
  }
  return { killed, unmounted };
}

/** Releases the slot dir; the last node out restores the host's sysctls and removes host dirs it created. */
function releaseSlot(l: NodeLayout): string[] {
  return withHostLock(() => {
    if (l.runDir === slotDir(l.slot)) rmSync(l.runDir, { recursive: true, force: true });
    return restoreHostIfLast();
  });
}

/** The slot whose record names `clusterDir` (its own state.json deleted under a running node), if any. */
function slotRecordingDir(clusterDir: string): NodeLayout | undefined {
  for (const slot of claimedSlots()) {
    try {
      const l = layoutOfSlot(slot);
      if (l?.clusterDir === clusterDir) return l;
    } catch {
      /* a record that does not check out is left alone (sweepOrphanNodes says so) */
    }
  }
  return undefined;
}

/**
 * Tears down the real node of `clusterDir`, if it has (or had) one. With `startedBy`, only a node that process
 * started (exit hooks and failed starts: the dir may hold another process's node by now).
 */
export function teardownRealNode(clusterDir: string, startedBy?: number): TeardownReport | undefined {
  // Throws (touching nothing) when the record is not a regular file of ours or does not match the dir.
  const l = layoutOfClusterDir(clusterDir) ?? slotRecordingDir(resolve(clusterDir));
  if (!l) {
    // No record anywhere, yet a kubelet may still run for this dir (its record deleted under it).
    if (startedBy === undefined) {
      stopNodeOfDir(resolve(clusterDir));
      unmountUnder([join(resolve(clusterDir), 'real-node')]);
    }
    return undefined;
  }
  if (startedBy !== undefined && l.startedBy !== startedBy) return undefined;
  const owner = ownerOfSlot(l.slot);
  if (owner !== undefined && owner !== l.clusterDir) {
    // The slot's claim vanished (/run cleared by a reboot) and another cluster holds it now: its bridge,
    // cgroups and sockets are not ours to remove; only our own dir and the processes running for it are.
    stopNodeOfDir(l.clusterDir);
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
    let l: NodeLayout | undefined;
    try {
      l = layoutOfSlot(slot);
    } catch (err) {
      process.stderr.write(`[cluster] left slot ${slot} alone: ${err instanceof Error ? err.message : String(err)}\n`);
      continue;
    }
    if (!l) {
      // Claimed but never recorded (a start killed inside the claim): remove once clearly abandoned.
      if (Date.now() - statSync(slotDir(slot)).mtimeMs > 60_000)
        rmSync(slotDir(slot), { recursive: true, force: true });
      continue;
    }
    let owned = false;
    try {
      owned = layoutOfClusterDir(l.clusterDir)?.slot === slot;
    } catch {
      /* a record that does not check out does not hold the slot (teardownLayout leaves that dir alone) */
    }
    if (owned && livePids(l.clusterDir).length > 0) continue;
    teardownLayout(l);
    releaseSlot(l);
    swept.push(l.clusterDir);
  }
  return swept;
}
