/** Can this host run a real node? Each problem is one sentence naming what is missing and how to get it. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { missingRealNodeBinaries } from '../../binaries';
import { imageStoreDir } from '../../images';
import { cgroupHierarchies } from './cgroups';

const RUNC_PATHS = ['/usr/sbin/runc', '/usr/bin/runc', '/usr/local/sbin/runc', '/usr/local/bin/runc'];

/** runc (Debian's; it needs cgo, so it is not built from Go here), or undefined. */
export const findRunc = (): string | undefined => RUNC_PATHS.find((p) => existsSync(p));
export const DOCKER_REGISTRY = '/usr/bin/docker-registry';

function tryIp(args: string[]): string | undefined {
  try {
    execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    return undefined;
  } catch (err) {
    const e = err as { code?: string; stderr?: Buffer };
    return e.code === 'ENOENT' ? 'the ip command is missing' : (e.stderr?.toString().trim() ?? String(err));
  }
}

function linkProblems(): string[] {
  const tag = String(process.pid % 100_000);
  const problems: string[] = [];
  const bridge = tryIp(['link', 'add', `kchk-b${tag}`, 'type', 'bridge']);
  if (bridge) problems.push(`cannot create a bridge (ip link add type bridge: ${bridge})`);
  else tryIp(['link', 'del', `kchk-b${tag}`]);
  const veth = tryIp(['link', 'add', `kchk-v${tag}`, 'type', 'veth', 'peer', 'name', `kchk-p${tag}`]);
  if (veth) problems.push(`cannot create a veth pair (ip link add type veth: ${veth})`);
  else tryIp(['link', 'del', `kchk-v${tag}`]);
  problems.push(...imageProblems());
  return problems;
}

function cgroupProblems(): string[] {
  const hierarchies = cgroupHierarchies();
  if (hierarchies.length === 0) return ['no cgroup hierarchy is mounted under /sys/fs/cgroup'];
  const probe = `keelson-check-${process.pid}`;
  const problems: string[] = [];
  for (const h of hierarchies) {
    try {
      mkdirSync(join(h, probe));
      rmdirSync(join(h, probe));
    } catch (err) {
      problems.push(`cgroup hierarchy ${h} is not writable (${(err as Error).message})`);
    }
  }
  problems.push(...imageProblems());
  return problems;
}

/** The prebuilt image store, or what tests/cluster/images/build.sh would need to build it (~15 s). */
function imageProblems(): string[] {
  try {
    if (existsSync(imageStoreDir())) return [];
  } catch (err) {
    return [`the test images cannot be located (${(err as Error).message})`];
  }
  const missing = ['umoci', 'skopeo', 'go'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  const busybox = spawnSync('dpkg-query', ['-W', '-f', '${db:Status-Status}', 'busybox-static'], { encoding: 'utf8' });
  if (busybox.stdout?.trim() !== 'installed') missing.push('busybox-static');
  if (missing.length === 0) return [];
  return [
    `the test images are not built and cannot be: ${missing.join(', ')} missing (apt-get install umoci skopeo busybox-static; Go)`,
  ];
}

/** Everything that stops a real node from starting here ([] when it can). */
export function realNodeProblems(): string[] {
  if (process.platform !== 'linux') return ['a real node needs Linux'];
  if (process.getuid?.() !== 0) return ['a real node needs root (kubelet, containerd, bridges and cgroups)'];
  const problems: string[] = [];
  if (!/\boverlay\b/.test(readFileSync('/proc/filesystems', 'utf8'))) {
    problems.push('overlayfs is not available (modprobe overlay)');
  }
  problems.push(...linkProblems(), ...cgroupProblems());
  if (!findRunc()) problems.push(`runc is missing (${RUNC_PATHS.join(', ')}; apt-get install runc)`);
  if (!existsSync(DOCKER_REGISTRY)) {
    problems.push(`the registry is missing at ${DOCKER_REGISTRY} (apt-get install docker-registry)`);
  }
  const missing = missingRealNodeBinaries();
  if (missing.length > 0) {
    problems.push(`binaries not built: ${missing.join(', ')} (bash tests/cluster/build.sh k8s containerd cni tekton)`);
  }
  problems.push(...imageProblems());
  return problems;
}
