/**
 * Where a real node keeps its files, sockets and cgroups; recorded in state.json so teardown finds them.
 * Teardown runs as root and removes, unmounts and kills what a layout names, so a record is never trusted:
 * only its slot and startedBy are read, every path is rebuilt with nodeLayout(), and a record that is not a
 * regular file of ours, names another cluster dir or slot, or stores other paths is refused with an error.
 */
import { lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { MAX_SLOT, slotDir } from './host-state';
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

/** lstat, or undefined when missing; throws unless `kind` and owned by this user (root: root). */
function lstatOwned(path: string, kind: 'file' | 'dir'): boolean {
  let st;
  try {
    st = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  const ok = kind === 'file' ? st.isFile() : st.isDirectory();
  if (!ok) throw new Error(`real node record: ${path} is not a ${kind === 'file' ? 'regular file' : 'directory'}`);
  if (process.getuid && st.uid !== process.getuid()) {
    throw new Error(`real node record: ${path} belongs to uid ${st.uid}, not to this user`);
  }
  return true;
}

/** Reads `file`, keeps slot and startedBy, rebuilds the layout and throws on any difference. */
function checkedLayout(file: string, expected: { clusterDir?: string; slot?: number }): NodeLayout {
  const bad = (what: string): Error => new Error(`real node record ${file}: ${what}; refusing to tear anything down`);
  let stored: Record<string, unknown>;
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw bad(`unreadable (${err instanceof Error ? err.message : String(err)})`);
  }
  const { slot, startedBy, clusterDir } = stored;
  if (typeof slot !== 'number' || !Number.isInteger(slot) || slot < 1 || slot > MAX_SLOT) {
    throw bad(`slot ${JSON.stringify(slot)} is not an integer in 1..${MAX_SLOT}`);
  }
  if (typeof startedBy !== 'number' || !Number.isInteger(startedBy)) throw bad('startedBy is not an integer');
  if (typeof clusterDir !== 'string' || !isAbsolute(clusterDir) || resolve(clusterDir) !== clusterDir) {
    throw bad(`clusterDir ${JSON.stringify(clusterDir)} is not a normalized absolute path`);
  }
  if (expected.clusterDir !== undefined && clusterDir !== expected.clusterDir) {
    throw bad(`it names cluster dir ${clusterDir}, not ${expected.clusterDir}`);
  }
  if (expected.slot !== undefined && slot !== expected.slot) throw bad(`it names slot ${slot}, not ${expected.slot}`);
  const rebuilt: NodeLayout = { ...nodeLayout(clusterDir, slot), startedBy };
  const differing = Object.entries(rebuilt)
    .filter(([k, v]) => JSON.stringify(stored[k]) !== JSON.stringify(v))
    .map(([k, v]) => `${k} is ${JSON.stringify(stored[k])}, expected ${JSON.stringify(v)}`);
  const unknown = Object.keys(stored).filter((k) => !(k in rebuilt));
  if (unknown.length > 0) differing.push(`unknown fields ${unknown.join(', ')}`);
  if (differing.length > 0) throw bad(differing.join('; '));
  return rebuilt;
}

/** The node `<clusterDir>/real-node/state.json` records, checked (see the header); undefined if none. */
export function layoutOfClusterDir(clusterDir: string): NodeLayout | undefined {
  const dir = resolve(clusterDir);
  if (!lstatOwned(join(dir, 'real-node'), 'dir')) return undefined;
  const f = join(dir, 'real-node', 'state.json');
  return lstatOwned(f, 'file') ? checkedLayout(f, { clusterDir: dir }) : undefined;
}

/** The node `/run/keelson/<slot>/state.json` records, checked (see the header); undefined if none. */
export function layoutOfSlot(slot: number): NodeLayout | undefined {
  if (!Number.isInteger(slot) || slot < 1 || slot > MAX_SLOT) throw new Error(`real node: no slot ${slot}`);
  if (!lstatOwned(slotDir(slot), 'dir')) return undefined;
  const f = join(slotDir(slot), 'state.json');
  return lstatOwned(f, 'file') ? checkedLayout(f, { slot }) : undefined;
}

/** The cluster dir that claimed `slot` (its record, else the `owner` file of the claim), checked likewise. */
export function ownerOfSlot(slot: number): string | undefined {
  const recorded = layoutOfSlot(slot)?.clusterDir;
  if (recorded !== undefined) return recorded;
  const f = join(slotDir(slot), 'owner');
  if (!lstatOwned(f, 'file')) return undefined;
  const owner = readFileSync(f, 'utf8');
  if (!isAbsolute(owner) || resolve(owner) !== owner) throw new Error(`real node: ${f} names no absolute path`);
  return owner;
}

/** Socket paths must stay below the kernel's 108-byte limit (with room for what kubelet appends). */
export function assertShortSockets(l: NodeLayout): void {
  const longest = [l.containerdSocket, join(l.kubeletRoot, 'pod-resources', 'kubelet.sock')];
  const tooLong = longest.filter((p) => p.length > 100);
  if (tooLong.length > 0) {
    throw new Error(`real node: socket paths too long (${tooLong.join(', ')}); use a shorter cluster dir`);
  }
}
