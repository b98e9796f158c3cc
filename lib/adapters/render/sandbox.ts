/**
 * helm and kustomize run confined (issue 10, hole 9): bubblewrap with every namespace unshared
 * (no network unless an allowed remote base needs it), an empty root holding only /usr, the
 * checkout read-only, the render's own scratch folder, a size-capped /tmp, no capabilities, an
 * address-space and CPU limit, and, when Keelson runs as root, an unprivileged uid (nobody, apart
 * from the step user). A symlink or `../` in the repository can therefore only reach what is bound here.
 *
 * As root, the data dir is private (0700), so an unprivileged bwrap could not open the checkout
 * by its path: the command first enters a private mount namespace (still root) and binds each
 * folder onto an empty slot under a root-owned 0755 folder (/run/keelson-render-slots), and bwrap (as the unprivileged uid)
 * binds the slots back at their original paths. No copy, and nothing outside the sandbox moves.
 *
 * Fail closed: without a working bubblewrap a render fails with the reason, unless the operator
 * set KEELSON_ALLOW_UNSANDBOXED=true (then the tools run as plain processes, as before).
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { chown, lstat, mkdir, readdir, readlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hostEnvironment } from '@/lib/env';

export interface RenderSandboxConfig {
  /** KEELSON_ALLOW_UNSANDBOXED: run the tools as plain processes when bubblewrap cannot start. */
  allowUnsandboxed?: boolean;
  /** KEELSON_RENDER_ALLOWED_HOSTS: hosts remote kustomize bases may come from (then the render keeps the network). */
  allowedHosts?: readonly string[];
  /** Host user the tools run as when Keelson is root (default nobody; keep it apart from the step user). */
  user?: string;
  /** bubblewrap binary (default: bwrap on PATH). */
  bwrapPath?: string;
}

export interface ConfinedRun {
  /** Folders visible read-only at their own path (the checkout, the tool's folder). */
  readOnly: string[];
  /** Folders visible read-write at their own path (the render's scratch folder). */
  writable: string[];
  network: boolean;
}

export type Launch = { file: string; args: string[] } | { error: string };

const NOBODY = 65534;
const MEMORY_BYTES = 2 * 1024 ** 3;
const CPU_SECONDS = 120;
const TMP_BYTES = 256 * 1024 ** 2;
const SYSTEM = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64'];
const ETC_ALWAYS = ['/etc/ssl', '/etc/ca-certificates', '/etc/pki'];
const ETC_NETWORK = ['/etc/resolv.conf', '/etc/hosts', '/etc/nsswitch.conf', '/etc/host.conf', '/etc/gai.conf'];
export const UNSANDBOXED_HINT =
  'install bubblewrap (apt-get install bubblewrap) so helm and kustomize run confined, or set KEELSON_ALLOW_UNSANDBOXED=true on a single-user machine';

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function uidOf(user: string | undefined): number {
  if (!user) return NOBODY;
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${user}:`));
    const uid = Number(line?.split(':')[2]);
    return Number.isInteger(uid) && uid > 0 ? uid : NOBODY;
  } catch {
    return NOBODY;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (hostEnvironment(['PATH']).PATH ?? '/usr/bin:/bin').split(':')) {
    if (!dir.startsWith('/')) continue;
    const file = path.join(dir, name);
    if (isExecutable(file)) return file;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A folder that only root can change, with empty numbered mount points. */
async function slotsDir(count: number): Promise<string> {
  // /run is writable only by root, so nobody else can have made the folder first; else the temp dir.
  const parent = await lstat('/run').then(
    (s) => (s.isDirectory() && s.uid === 0 ? '/run' : os.tmpdir()),
    () => os.tmpdir(),
  );
  const dir = path.join(parent, 'keelson-render-slots');
  await mkdir(dir, { mode: 0o755 }).catch(() => undefined);
  const info = await lstat(dir);
  if (!info.isDirectory() || info.uid !== 0 || (info.mode & 0o022) !== 0)
    throw new Error(`${dir} is not a root-owned folder; remove it`);
  for (let i = 0; i < count; i++) await mkdir(path.join(dir, String(i)), { mode: 0o755 }).catch(() => undefined);
  return dir;
}

/** Binds sources onto slots inside a private mount namespace (as root), then runs the rest. */
const SLOT_SCRIPT =
  'set -e; d=$1; n=$2; shift 2; i=0; while [ "$i" -lt "$n" ]; do mount --bind "$1" "$d/$i"; shift; i=$((i+1)); done; exec "$@"';

function depth(p: string): number {
  return p.split('/').filter(Boolean).length;
}

async function systemArgs(network: boolean): Promise<string[]> {
  const args: string[] = [];
  for (const p of SYSTEM) {
    const info = await lstat(p).catch(() => null);
    if (!info) continue;
    if (info.isSymbolicLink()) args.push('--symlink', await readlink(p), p);
    else if (info.isDirectory()) args.push('--ro-bind', p, p);
  }
  for (const p of [...ETC_ALWAYS, ...(network ? ETC_NETWORK : [])]) {
    if (
      await lstat(p).then(
        () => true,
        () => false,
      )
    )
      args.push('--ro-bind', p, p);
  }
  return args;
}

/** Makes the render's scratch folders the sandbox user's, so it can write them and nobody else can read them. */
async function handOver(dirs: readonly string[], uid: number): Promise<void> {
  for (const dir of dirs) {
    await chown(dir, uid, uid);
    for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
      await chown(path.join(entry.parentPath, entry.name), uid, uid);
    }
  }
}

const PROBE_ENV: Record<string, string> = { PATH: '/usr/bin:/bin' };
let probe: Promise<string | undefined> | undefined;
let probeKey = '';

/** Starts one trivial sandbox and remembers whether it worked (the binary may exist and still be refused). */
function sandboxWorks(config: RenderSandboxConfig, bwrap: string): Promise<string | undefined> {
  const key = `${bwrap}|${config.user ?? ''}`;
  if (!probe || probeKey !== key) {
    probeKey = key;
    probe = (async () => {
      // One bound folder, so that the private mount namespace and the slots are tried too.
      const launch = await buildLaunch(
        config,
        bwrap,
        '/usr/bin/true',
        [],
        { readOnly: ['/usr/bin'], writable: [], network: false },
        '/',
      );
      if ('error' in launch) return launch.error;
      return new Promise<string | undefined>((resolve) => {
        execFile(
          launch.file,
          launch.args,
          { timeout: 10_000, env: PROBE_ENV as NodeJS.ProcessEnv },
          (error, _out, stderr) =>
            resolve(error ? `${bwrap} cannot start a sandbox here: ${stderr.trim() || error.message}` : undefined),
        );
      });
    })();
  }
  return probe;
}

async function buildLaunch(
  config: RenderSandboxConfig,
  bwrap: string,
  bin: string,
  args: string[],
  run: ConfinedRun,
  cwd: string,
): Promise<Launch> {
  const root = isRoot();
  const uid = root ? uidOf(config.user) : undefined;
  const bwrapArgs = [
    '--unshare-all',
    ...(run.network ? ['--share-net'] : []),
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
  ];
  bwrapArgs.push(...(await systemArgs(run.network)));
  bwrapArgs.push('--proc', '/proc', '--dev', '/dev', '--size', String(TMP_BYTES), '--tmpfs', '/tmp');
  const mounts = [...run.readOnly.map((p) => ({ p, rw: false })), ...run.writable.map((p) => ({ p, rw: true }))].sort(
    (a, b) => depth(a.p) - depth(b.p),
  );
  let slots: string | undefined;
  if (root && mounts.length > 0) {
    try {
      slots = await slotsDir(mounts.length);
    } catch (error) {
      return { error: `cannot prepare the render sandbox: ${(error as Error).message}` };
    }
  }
  mounts.forEach((m, i) =>
    bwrapArgs.push(m.rw ? '--bind' : '--ro-bind', slots ? path.join(slots, String(i)) : m.p, m.p),
  );
  bwrapArgs.push('--remount-ro', '/', '--chdir', cwd, '--', bin, ...args);
  const limited = [
    '/usr/bin/prlimit',
    `--as=${MEMORY_BYTES}`,
    `--cpu=${CPU_SECONDS}`,
    '--core=0',
    '--',
    bwrap,
    ...bwrapArgs,
  ];
  if (!root) return { file: limited[0], args: limited.slice(1) };
  if (run.writable.length) await handOver(run.writable, uid ?? NOBODY);
  const dropped = ['/usr/bin/setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--', ...limited];
  if (!slots) return { file: dropped[0], args: dropped.slice(1) };
  return {
    file: '/usr/bin/unshare',
    args: [
      '--mount',
      '--propagation',
      'private',
      '--',
      '/bin/sh',
      '-c',
      SLOT_SCRIPT,
      'sh',
      slots,
      String(mounts.length),
      ...mounts.map((m) => m.p),
      ...dropped,
    ],
  };
}

/** One line for the start-up log: whether renders will be confined, and how to fix it when not. */
export async function renderSandboxStatus(config: RenderSandboxConfig): Promise<string> {
  const bwrap = config.bwrapPath ?? onPath('bwrap');
  const broken =
    bwrap && isExecutable(bwrap) ? await sandboxWorks(config, bwrap) : 'bubblewrap (bwrap) is not installed';
  if (!broken)
    return `helm and kustomize run in bubblewrap (no network${config.allowedHosts?.length ? ` except remote bases from ${config.allowedHosts.join(', ')}` : ''})`;
  if (config.allowUnsandboxed)
    return `WARNING: helm and kustomize run UNSANDBOXED (KEELSON_ALLOW_UNSANDBOXED=true): ${broken}`;
  return `renders will fail: ${broken}; ${UNSANDBOXED_HINT}`;
}

/**
 * The command that runs `bin args` confined, or an error saying why it cannot run; with
 * KEELSON_ALLOW_UNSANDBOXED=true and no working bubblewrap, the plain command.
 */
export async function confinedCommand(
  config: RenderSandboxConfig,
  bin: string,
  args: string[],
  run: ConfinedRun,
  cwd: string,
): Promise<Launch> {
  const bwrap = config.bwrapPath ?? onPath('bwrap');
  const installed = bwrap !== undefined && isExecutable(bwrap);
  const broken = installed ? await sandboxWorks(config, bwrap) : `bubblewrap (${bwrap ?? 'bwrap'}) is not installed`;
  if (broken || !bwrap) {
    if (config.allowUnsandboxed) return { file: bin, args };
    return { error: `helm and kustomize run only in a sandbox, and none works here: ${broken}; ${UNSANDBOXED_HINT}` };
  }
  return buildLaunch(config, bwrap, bin, args, run, cwd);
}
