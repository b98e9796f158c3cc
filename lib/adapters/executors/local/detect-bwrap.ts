import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { lstat, mkdtemp, readlink, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildBwrapArgs, type StepDrop, type SystemEntry } from './bwrap-args';
import type { NetworkTools } from './step-network';
import type { StepUser } from './step-user';

/**
 * Host directories a step sees read-only. Deliberately not `/home`, `/root`, `/var`, `/srv` or the
 * folder Keelson runs from: the worker's credentials and other runs' folders stay out of sight.
 */
export const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc', '/opt'] as const;

export type SandboxSupport =
  | {
      available: true;
      bwrapPath: string;
      system: SystemEntry[];
      /** Operator-listed host paths that exist, bound read-only at the same path. */
      readOnly: string[];
      /** How steps become the unprivileged step user (Keelson runs as root). */
      drop?: StepDrop;
      /** What a TaskRun's own outbound network needs, or why it cannot have one here. */
      network: { tools: NetworkTools } | { missing: string };
    }
  | { available: false; reason: string };

/** Where the sandbox's helper programs are looked up on the host (they must also be visible inside). */
const TOOL_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Finds bubblewrap (`bwrapPath`, else on `searchPath`, the worker's PATH) and proves it can start a
 * sandbox here (it may exist and still be refused by the kernel). The worker's LocalHost keeps the answer.
 */
export async function detectBwrap(
  bwrapPath: string | undefined,
  extraReadOnly: readonly string[],
  user: StepUser | undefined,
  searchPath: string,
): Promise<SandboxSupport> {
  const bwrap = bwrapPath ?? findInPath('bwrap', `${searchPath}:${TOOL_PATH}`);
  if (!bwrap) return { available: false, reason: 'bubblewrap (bwrap) is not installed' };
  if (!isExecutable(bwrap)) return { available: false, reason: `${bwrap} is not an executable file` };
  const system = await systemEntries(SYSTEM_DIRS);
  const readOnly = await existingPaths(extraReadOnly);
  const tool = (name: string) => findInPath(name, TOOL_PATH);
  const [setpriv, unshare, nsenter, slirp4netns] = ['setpriv', 'unshare', 'nsenter', 'slirp4netns'].map(tool);
  let drop: StepDrop | undefined;
  if (user) {
    if (!setpriv || !unshare)
      return {
        available: false,
        reason:
          'setpriv and unshare (util-linux) are needed to run steps as an unprivileged user, and are not installed',
      };
    drop = { uid: user.uid, gid: user.gid, setpriv, unshare };
  }
  const network =
    setpriv && unshare && nsenter && slirp4netns
      ? { tools: { setpriv, unshare, nsenter, slirp4netns } }
      : { missing: 'slirp4netns (and util-linux nsenter/unshare/setpriv) is not installed' };
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'keelson-bwrap-probe-'));
  try {
    const args = buildBwrapArgs({
      system,
      readOnly,
      mounts: [],
      tmpHost: tmp,
      workingDir: '/',
      createWorkingDir: false,
      dropCapabilities: isRoot(),
      drop,
      network: 'none',
      command: ['true'],
    });
    const env: Record<string, string> = { PATH: '/usr/bin:/bin' };
    const failure = await new Promise<string | undefined>((resolve) => {
      execFile(bwrap, args, { timeout: 10_000, env: env as NodeJS.ProcessEnv }, (error, _stdout, stderr) => {
        resolve(error ? `${bwrap} cannot start a sandbox here: ${stderr.trim() || error.message}` : undefined);
      });
    });
    return failure
      ? { available: false, reason: failure }
      : { available: true, bwrapPath: bwrap, system, readOnly, drop, network };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The absolute, normalised paths that exist on this host (files or folders; symlinks are followed by the bind). */
export async function existingPaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of new Set(paths.filter((x) => path.isAbsolute(x)).map((x) => path.normalize(x)))) {
    try {
      await stat(p);
      out.push(p);
    } catch {
      // Absent on this host: nothing to mount (the worker warns about it at start-up).
    }
  }
  return out;
}

/** The given top-level paths that exist, symlinks kept as symlinks (merged-usr `/bin -> usr/bin`). */
export async function systemEntries(paths: readonly string[]): Promise<SystemEntry[]> {
  const entries: SystemEntry[] = [];
  for (const p of paths) {
    try {
      const stat = await lstat(p);
      if (stat.isSymbolicLink()) entries.push({ path: p, symlinkTo: await readlink(p) });
      else if (stat.isDirectory()) entries.push({ path: p });
    } catch {
      // Absent on this host; nothing to mount.
    }
  }
  return entries;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Synchronous, as are all the checks before a step starts (see prepareStep). */
export function findInPath(
  name: string,
  pathVar: string,
  resolve: (dir: string) => string | undefined = (d) => d,
): string | undefined {
  for (const dir of pathVar.split(':')) {
    if (!dir || !path.isAbsolute(dir)) continue;
    const hostDir = resolve(dir);
    if (hostDir === undefined) continue;
    const candidate = path.join(hostDir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
