/**
 * Host-wide bookkeeping shared by every real node on this machine, under /run/keelson:
 * - a slot per node (`/run/keelson/<n>/`, claimed with an atomic mkdir) that gives it its subnet (slotSubnet),
 *   bridge kbr-<n>, cgroup root /keelson-<n> and short socket paths;
 * - the host's values of the sysctls kubelet changes, saved by the first node and restored by the last one out.
 * Everything is synchronous so it can run from process 'exit' hooks and signal handlers.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { POD_CIDR, SERVICE_CIDR } from '../components';

export const HOST_RUN_DIR = '/run/keelson';
const LOCK_DIR = join(HOST_RUN_DIR, '.lock');
const ORIGINALS_FILE = join(HOST_RUN_DIR, 'host-originals.json');

/** Sysctls kubelet sets (protectKernelDefaults: false), and ip_forward, which nothing of ours should change. */
export const WATCHED_SYSCTLS = [
  'vm/overcommit_memory',
  'vm/panic_on_oom',
  'kernel/panic',
  'kernel/panic_on_oops',
  'kernel/keys/root_maxkeys',
  'kernel/keys/root_maxbytes',
  'net/ipv4/ip_forward',
] as const;

/**
 * Host paths kubelet or containerd create outside the dirs we give them: kubelet's /var/log/containers links,
 * libcni's result cache, and kubelet's device-plugin socket (a path compiled into kubelet).
 */
export const WATCHED_HOST_DIRS = ['/var/log/containers', '/var/lib/cni', '/var/lib/kubelet'] as const;

interface HostOriginals {
  sysctls: Record<string, string>;
  missingDirs: string[];
}

export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export const readSysctl = (name: string): string => readFileSync(`/proc/sys/${name}`, 'utf8').trim();

export function readWatchedSysctls(): Record<string, string> {
  return Object.fromEntries(WATCHED_SYSCTLS.map((s) => [s, readSysctl(s)]));
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs `fn` under a host-wide lock (mkdir; a lock whose holder died is broken). */
export function withHostLock<T>(fn: () => T): T {
  mkdirSync(HOST_RUN_DIR, { recursive: true });
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(join(LOCK_DIR, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder = 0;
      try {
        holder = Number(readFileSync(join(LOCK_DIR, 'pid'), 'utf8'));
      } catch {
        /* being created or removed */
      }
      const age = (() => {
        try {
          return Date.now() - statSync(LOCK_DIR).mtimeMs;
        } catch {
          return 0;
        }
      })();
      if ((holder > 0 && !pidAlive(holder)) || (holder === 0 && age > 5000)) {
        rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${LOCK_DIR} is held by pid ${holder}; remove it if that is stale`);
      sleepSync(20);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

export const slotDir = (slot: number): string => join(HOST_RUN_DIR, String(slot));

/** Slots currently claimed (their dirs exist). */
export function claimedSlots(): number[] {
  if (!existsSync(HOST_RUN_DIR)) return [];
  return readdirSync(HOST_RUN_DIR)
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
}

/** Host routes (CIDRs) that a new subnet must not overlap. */
function hostRoutes(): string[] {
  const out = execFileSync('ip', ['-4', '-o', 'route', 'show', 'table', 'all'], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .map((f) => (f[0] === 'local' || f[0] === 'broadcast' ? f[1] : f[0]) ?? '')
    .filter((d) => /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(d));
}

const ipToInt = (ip: string): number => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);

export function cidrsOverlap(a: string, b: string): boolean {
  const [ipA = '', lenA = '32'] = a.split('/');
  const [ipB = '', lenB = '32'] = b.split('/');
  const size = 2 ** (32 - Math.min(Number(lenA), Number(lenB)));
  return Math.floor(ipToInt(ipA) / size) === Math.floor(ipToInt(ipB) / size);
}

/** Subnets no real node may use: the service CIDR, kwok's pod CIDR, slirp4netns' default. */
const RESERVED = [SERVICE_CIDR, POD_CIDR, '10.0.2.0/24'];

export const MAX_SLOT = 508;

/** 172.30.<n>.0/24 for slots 1-254, then 10.213.<n-254>.0/24 (for hosts that route 172.30.0.0/16 elsewhere). */
export const slotSubnet = (slot: number): string => (slot <= 254 ? `172.30.${slot}.0/24` : `10.213.${slot - 254}.0/24`);

/**
 * Claims a free slot for `owner` (the cluster dir). `isStale(slot)` decides whether an existing claim
 * belongs to a dead run; such a slot is handed to `reclaim` (teardown) and then claimed again.
 */
export function claimSlot(owner: string, isStale: (slot: number) => boolean, reclaim: (slot: number) => void): number {
  const routes = hostRoutes();
  for (let slot = 1; slot <= MAX_SLOT; slot++) {
    const subnet = slotSubnet(slot);
    if ([...routes, ...RESERVED].some((r) => cidrsOverlap(r, subnet) && !routeIsOurs(r, slot))) continue;
    if (existsSync(slotDir(slot)) && isStale(slot)) reclaim(slot);
    if (!existsSync(slotDir(slot)) && slotInUse(slot)) continue;
    try {
      mkdirSync(HOST_RUN_DIR, { recursive: true });
      mkdirSync(slotDir(slot));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    writeFileSync(join(slotDir(slot), 'owner'), owner);
    return slot;
  }
  throw new Error(
    'no free subnet for a real node (172.30.<n>.0/24 and 10.213.<n>.0/24 all claimed or routed); run npm run cluster:down',
  );
}

/** Pids whose command line contains any of `needles` (never this process). */
export function pidsWithArgs(needles: readonly string[]): number[] {
  const pids: number[] = [];
  for (const e of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${e}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (Number(e) !== process.pid && needles.some((n) => cmdline.includes(n))) pids.push(Number(e));
    } catch {
      /* exited */
    }
  }
  return pids;
}

/**
 * Pids whose argv holds one of `sequences` as consecutive, exactly equal arguments (never this process):
 * `['--root-dir=/a/kubelet']` matches no process of `/a/kubelet2` or `/b/a/kubelet`.
 */
export function pidsWithArgv(sequences: readonly (readonly string[])[]): number[] {
  const pids: number[] = [];
  for (const e of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // exited
    }
    const has = (seq: readonly string[]): boolean =>
      argv.some((_, i) => seq.length > 0 && seq.every((a, j) => argv[i + j] === a));
    if (Number(e) !== process.pid && sequences.some(has)) pids.push(Number(e));
  }
  return pids;
}

/** A kubelet still using the slot's node IP, or anything still naming its run dir (e.g. one that escaped a teardown). */
const slotInUse = (slot: number): boolean =>
  pidsWithArgs([`--node-ip=${slotSubnet(slot).replace(/\.0\/24$/, '.1')} `, `${slotDir(slot)}/`]).length > 0;

/** A route for a slot's own subnet on its own bridge does not block reclaiming that slot. */
function routeIsOurs(route: string, slot: number): boolean {
  return route === slotSubnet(slot) && existsSync(slotDir(slot));
}

/** Saves the host's values before the first node changes them (no-op while another node runs). */
export function saveHostOriginals(): void {
  if (existsSync(ORIGINALS_FILE)) return;
  const originals: HostOriginals = {
    sysctls: readWatchedSysctls(),
    missingDirs: WATCHED_HOST_DIRS.filter((d) => !existsSync(d)),
  };
  writeFileSync(ORIGINALS_FILE, `${JSON.stringify(originals, null, 2)}\n`);
}

/** Writes back every saved sysctl that differs now; returns what it changed. */
function restoreSysctls(saved: Record<string, string>): string[] {
  const changed: string[] = [];
  for (const [name, value] of Object.entries(saved)) {
    try {
      if (readSysctl(name) === value) continue;
      writeFileSync(`/proc/sys/${name}`, value);
      changed.push(`${name.replace(/\//g, '.')}=${value}`);
    } catch {
      /* not writable here: nothing we can do */
    }
  }
  return changed;
}

/**
 * When no slot is claimed any more: restores the sysctls and removes the watched host dirs that did
 * not exist before (if they are empty). Call under withHostLock after releasing a slot.
 */
export function restoreHostIfLast(): string[] {
  if (claimedSlots().length > 0 || !existsSync(ORIGINALS_FILE)) return [];
  const originals = JSON.parse(readFileSync(ORIGINALS_FILE, 'utf8')) as HostOriginals;
  const changed = restoreSysctls(originals.sysctls);
  for (const dir of originals.missingDirs) {
    removeEmptyTree(dir);
  }
  rmSync(ORIGINALS_FILE, { force: true });
  return changed;
}

/** Removes `dir` if it holds nothing but empty directories and sockets. */
function removeEmptyTree(dir: string): boolean {
  if (!existsSync(dir)) return true;
  const st = statSync(dir);
  if (st.isSocket()) {
    rmSync(dir, { force: true });
    return true;
  }
  if (!st.isDirectory()) return false;
  const empty = readdirSync(dir).every((e) => removeEmptyTree(join(dir, e)));
  if (!empty) return false;
  try {
    rmdirSync(dir);
  } catch {
    /* already gone */
  }
  return !existsSync(dir);
}
