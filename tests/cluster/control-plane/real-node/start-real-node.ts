/**
 * Starts a real node for a running control plane: registry, containerd and kubelet as processes of the
 * cluster (pid files in <dir>/pids), on the node's own bridge, subnet, cgroup root, ports and sockets.
 * Resolves once the Node is Ready. On failure the caller tears down with teardownRealNode(dir).
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binaryPath, componentBinDir } from '../../binaries';
import { ensureImageStore } from '../../images';
import type { KubeConn } from '../kube-http';
import { freePorts } from '../ports';
import { type ManagedProcess, startProcess } from '../processes';
import { cgroupHierarchies, cgroupProcsFiles, createCgroup } from './cgroups';
import { containerdConfig, writeRegistryHosts } from './containerd-config';
import { claimSlot, saveHostOriginals, slotDir, withHostLock } from './host-state';
import { kubeletArgs, kubeletConfig } from './kubelet-config';
import { ensureLocalStorageClass, startLocalVolumes } from './local-volumes';
import {
  assertShortSockets,
  layoutOfClusterDir,
  layoutOfSlot,
  nodeLayout,
  type NodeLayout,
  writeLayout,
} from './layout';
import { createBridge, writeCniConfig } from './network';
import { nodeCredentials } from './node-credentials';
import { nodeReady } from './node-api';
import { registryReady, startRegistry } from './registry';
import { findRunc } from './requirements';
import { teardownLayout } from './teardown';

/** What tests get (RunningCluster.realNode, inject('realNode')). */
export interface RealNodeInfo {
  nodeName: string;
  /** 127.0.0.1:<port> */
  registry: string;
  bridge: string;
  subnet: string;
}

export interface StartRealNodeOptions {
  dir: string;
  conn: KubeConn;
  procs: ManagedProcess[];
  log: (line: string) => void;
  /** Polls `check` until true; throws when a process in `procs` exits or the deadline passes. */
  waitUntil: (what: string, check: () => Promise<boolean>) => Promise<void>;
  /** Extra flags for kubelet and containerd (appended last). */
  extraArgs?: { kubelet?: string[]; containerd?: string[] };
}

/** A slot is stale when the cluster dir that claimed it no longer records it (deleted, or reused). */
function slotIsStale(slot: number): boolean {
  let owner: string | undefined;
  try {
    owner = layoutOfSlot(slot)?.clusterDir;
  } catch {
    return false; // a slot record that does not check out is left alone
  }
  if (!owner) return true; // claimed and recorded under the same lock: unrecorded means a start died there
  try {
    return layoutOfClusterDir(owner)?.slot !== slot;
  } catch {
    return true; // the dir's record does not check out: it holds no slot (teardownLayout leaves that dir alone)
  }
}

function claim(dir: string): NodeLayout {
  return withHostLock(() => {
    const slot = claimSlot(dir, slotIsStale, (stale) => {
      const old = layoutOfSlot(stale);
      if (old) teardownLayout(old);
      rmSync(slotDir(stale), { recursive: true, force: true });
    });
    saveHostOriginals();
    const layout = nodeLayout(dir, slot);
    writeLayout(layout);
    return layout;
  });
}

export async function startRealNode(o: StartRealNodeOptions): Promise<RealNodeInfo> {
  const t0 = Date.now();
  const storeDir = ensureImageStore();
  const l = claim(o.dir);
  o.log(`real node ${l.nodeName}: bridge ${l.bridge} ${l.subnet}, cgroup ${l.cgroupRoot}, sockets in ${l.runDir}`);
  assertShortSockets(l);
  for (const d of [l.containerdRoot, l.kubeletRoot, l.podLogsDir, l.ipamDir, l.containerdState]) {
    mkdirSync(d, { recursive: true });
  }
  createCgroup(l.containerdCgroup);
  createCgroup(l.kubeletCgroup);
  createBridge(l);
  writeCniConfig(l, l.cniConfDir, l.ipamDir);

  const [registryPort = 0, kubeletPort = 0] = await freePorts(2);
  const registry = `127.0.0.1:${registryPort}`;
  o.procs.push(startRegistry(o.dir, l.nodeDir, storeDir, registryPort));
  writeRegistryHosts(l.certsDir, registry);

  const ctdConfig = join(l.nodeDir, 'containerd.toml');
  writeFileSync(ctdConfig, containerdConfig(l, componentBinDir('cni'), findRunc() ?? 'runc'));
  const ctdArgs = ['--config', ctdConfig, '--log-level', 'warn', ...(o.extraArgs?.containerd ?? [])];
  o.procs.push(
    startProcess(o.dir, 'containerd', binaryPath('containerd'), ctdArgs, shimPath(), inCgroup(l.containerdCgroup)),
  );

  const creds = nodeCredentials(o.dir, l.pkiDir, l.nodeName, l.nodeIP, o.conn.server);
  const kubeletConfigPath = join(l.nodeDir, 'kubelet-config.json');
  writeFileSync(kubeletConfigPath, `${JSON.stringify(kubeletConfig(l, creds, kubeletPort), null, 2)}\n`);
  await o.waitUntil(`the registry on ${registry}`, () => registryReady(registry));
  await o.waitUntil('the containerd socket', () => Promise.resolve(existsSync(l.containerdSocket)));
  await ensureLocalStorageClass(o.conn);
  o.procs.push(startLocalVolumes({ ...o, nodeDir: l.nodeDir, cgroupRoot: l.cgroupRoot, nodeName: l.nodeName }));
  const tKubelet = Date.now();
  o.procs.push(
    startProcess(
      o.dir,
      'kubelet',
      binaryPath('kubelet'),
      [...kubeletArgs(l, creds, kubeletConfigPath), ...(o.extraArgs?.kubelet ?? [])],
      process.env,
      inCgroup(l.kubeletCgroup),
    ),
  );
  await o.waitUntil(`node ${l.nodeName} Ready`, () => nodeReady(o.conn, l.nodeName));
  o.log(`real node ${l.nodeName} Ready ${Date.now() - tKubelet} ms after kubelet start (${Date.now() - t0} ms in all)`);
  return { nodeName: l.nodeName, registry, bridge: l.bridge, subnet: l.subnet };
}

/** The cgroup.procs files of `path` in every hierarchy (a process must start inside, or teardown misses it). */
function inCgroup(path: string): string[] {
  const files = cgroupProcsFiles(path);
  // Gone meanwhile: something tore this slot down (e.g. a teardown of a stale dir that named the same slot).
  if (files.length !== cgroupHierarchies().length) throw new Error(`the node's cgroup ${path} vanished during start`);
  return files;
}

/** containerd finds containerd-shim-runc-v2 on PATH. */
function shimPath(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${componentBinDir('containerd')}:${process.env.PATH ?? ''}` };
}
