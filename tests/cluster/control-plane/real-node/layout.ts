/** Where a real node keeps its files, sockets and cgroups; recorded in state.json so teardown finds them. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { slotDir } from './host-state';
import { type NodeNetwork, nodeNetwork } from './network';

export interface NodeLayout extends NodeNetwork {
  slot: number;
  /** Pid of the process that started the node (its exit guard tears down only its own node). */
  startedBy: number;
  nodeName: string;
  clusterDir: string;
  /** <cluster dir>/real-node: disk-backed data (images, pod volumes, logs). */
  nodeDir: string;
  containerdRoot: string;
  kubeletRoot: string;
  podLogsDir: string;
  cniConfDir: string;
  ipamDir: string;
  certsDir: string;
  pkiDir: string;
  /** /run/keelson/<n>: short paths for sockets and containerd's state (netns, shim and runc state). */
  runDir: string;
  containerdState: string;
  containerdSocket: string;
  shimSocketDir: string;
  runcRoot: string;
  cgroupRoot: string;
  containerdCgroup: string;
  kubeletCgroup: string;
}

export function nodeLayout(clusterDir: string, slot: number): NodeLayout {
  const nodeDir = join(clusterDir, 'real-node');
  const runDir = slotDir(slot);
  const cgroupRoot = `/keelson-${slot}`;
  return {
    ...nodeNetwork(slot),
    slot,
    startedBy: process.pid,
    nodeName: `keelson-real-${slot}`,
    clusterDir,
    nodeDir,
    containerdRoot: join(nodeDir, 'containerd'),
    kubeletRoot: join(nodeDir, 'kubelet'),
    podLogsDir: join(nodeDir, 'pod-logs'),
    cniConfDir: join(nodeDir, 'cni', 'net.d'),
    ipamDir: join(nodeDir, 'cni', 'ipam'),
    certsDir: join(nodeDir, 'certs.d'),
    pkiDir: join(nodeDir, 'pki'),
    runDir,
    containerdState: join(runDir, 'state'),
    containerdSocket: join(runDir, 'containerd.sock'),
    shimSocketDir: join(runDir, 's'),
    runcRoot: join(runDir, 'runc'),
    cgroupRoot,
    containerdCgroup: `${cgroupRoot}/runtime`,
    kubeletCgroup: `${cgroupRoot}/kubelet`,
  };
}

const stateFiles = (l: Pick<NodeLayout, 'nodeDir' | 'runDir'>): string[] => [
  join(l.nodeDir, 'state.json'),
  join(l.runDir, 'state.json'),
];

/** Records the layout in the cluster dir and in the slot dir (a slot whose cluster dir was deleted is still found). */
export function writeLayout(l: NodeLayout): void {
  mkdirSync(l.nodeDir, { recursive: true });
  for (const f of stateFiles(l)) writeFileSync(f, `${JSON.stringify(l, null, 2)}\n`);
}

export function layoutOfClusterDir(clusterDir: string): NodeLayout | undefined {
  const f = join(clusterDir, 'real-node', 'state.json');
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as NodeLayout) : undefined;
}

export function layoutOfSlot(slot: number): NodeLayout | undefined {
  const f = join(slotDir(slot), 'state.json');
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as NodeLayout) : undefined;
}

/** Socket paths must stay below the kernel's 108-byte limit (with room for what kubelet appends). */
export function assertShortSockets(l: NodeLayout): void {
  const longest = [l.containerdSocket, join(l.kubeletRoot, 'pod-resources', 'kubelet.sock')];
  const tooLong = longest.filter((p) => p.length > 100);
  if (tooLong.length > 0) {
    throw new Error(`real node: socket paths too long (${tooLong.join(', ')}); use a shorter cluster dir`);
  }
}
