/**
 * The pod network of a real node: a Linux bridge `kbr-<n>` holding <subnet>.1/24 (the node IP), and a CNI
 * conflist whose bridge plugin reuses that bridge without gateway, masquerading or forwarding (nothing on the
 * host changes but the bridge and its veths), with host-local IPAM on the same /24. containerd brings up each
 * pod's lo itself (use_internal_loopback).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { slotSubnet } from './host-state';

export interface NodeNetwork {
  bridge: string;
  subnet: string;
  nodeIP: string;
  /** CNI network name (also the prefix of libcni's cache files in /var/lib/cni/results). */
  cniName: string;
}

export function nodeNetwork(slot: number): NodeNetwork {
  return {
    bridge: `kbr-${slot}`,
    subnet: slotSubnet(slot),
    nodeIP: slotSubnet(slot).replace(/\.0\/24$/, '.1'),
    cniName: `keelson-${slot}`,
  };
}

const ip = (args: string[]): string =>
  execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

export function linkExists(name: string): boolean {
  try {
    ip(['link', 'show', 'dev', name]);
    return true;
  } catch {
    return false;
  }
}

/** Creates the bridge with the node IP (fails with EEXIST-like output if it exists). */
export function createBridge(net: NodeNetwork): void {
  ip(['link', 'add', net.bridge, 'type', 'bridge']);
  ip(['addr', 'add', `${net.nodeIP}/24`, 'dev', net.bridge]);
  ip(['link', 'set', net.bridge, 'up']);
}

/** Deletes the veths still attached to the bridge, then the bridge. Idempotent. */
export function deleteBridge(bridge: string): void {
  if (!linkExists(bridge)) return;
  const veths = ip(['-o', 'link', 'show', 'master', bridge])
    .split('\n')
    .map((l) => /^\d+:\s+([^@:\s]+)/.exec(l)?.[1])
    .filter((n): n is string => Boolean(n));
  for (const veth of veths) {
    try {
      ip(['link', 'del', veth]);
    } catch {
      /* went away with its namespace */
    }
  }
  try {
    ip(['link', 'del', bridge]);
  } catch (err) {
    if (linkExists(bridge)) throw err;
  }
}

/** Writes the CNI conflist into `confDir` (must exist before containerd starts: it does not watch for it). */
export function writeCniConfig(net: NodeNetwork, confDir: string, ipamDataDir: string): string {
  mkdirSync(confDir, { recursive: true });
  const prefix = net.subnet.replace(/\.0\/24$/, '');
  const conf = {
    cniVersion: '1.0.0',
    name: net.cniName,
    plugins: [
      {
        type: 'bridge',
        bridge: net.bridge,
        isGateway: false,
        isDefaultGateway: false,
        ipMasq: false,
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          dataDir: ipamDataDir,
          ranges: [
            [{ subnet: net.subnet, rangeStart: `${prefix}.10`, rangeEnd: `${prefix}.250`, gateway: net.nodeIP }],
          ],
          routes: [{ dst: '0.0.0.0/0', gw: net.nodeIP }],
        },
      },
    ],
  };
  const path = join(confDir, '10-keelson.conflist');
  writeFileSync(path, `${JSON.stringify(conf, null, 2)}\n`);
  return path;
}

/** Removes libcni's cached results for this network (left behind when a pod's CNI DEL never ran). */
export function removeCniCache(cniName: string): void {
  for (const sub of ['results', 'results-cni']) {
    const dir = join('/var/lib/cni', sub);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((e) => e.startsWith(`${cniName}-`))) rmSync(join(dir, f), { force: true });
  }
}
