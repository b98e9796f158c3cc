import path from 'node:path';
import type { PathMapping } from './path-rewrite';

/** A host top-level entry to expose read-only: a directory, or a symlink such as merged-usr `/bin -> usr/bin`. */
export interface SystemEntry {
  path: string;
  symlinkTo?: string;
}

export interface BwrapSpec {
  system: readonly SystemEntry[];
  /**
   * Host paths the operator opened to steps (KEELSON_SANDBOX_READONLY_PATHS), bound read-only at the
   * same path. Bound last, so one under `/tmp` shows through the step's private `/tmp`.
   */
  readOnly?: readonly string[];
  mounts: readonly PathMapping[];
  /** Host folder bound to `/tmp`, private to the TaskRun. */
  tmpHost: string;
  workingDir: string;
  /** Create the working directory inside the sandbox (it lies on the tmpfs root, not on a mount). */
  createWorkingDir: boolean;
  /** Running as root: drop every capability, or a step could remount `/usr` read-write. */
  dropCapabilities: boolean;
  command: readonly string[];
}

/**
 * The bubblewrap command line for one step: an empty tmpfs root, the host's system directories
 * read-only, the run's folders bound at Tekton's container paths, its own pid namespace, and the
 * network left shared (steps clone from loopback git servers).
 */
export function buildBwrapArgs(spec: BwrapSpec): string[] {
  if (spec.command.length === 0) throw new Error('buildBwrapArgs: empty command');
  const args = ['--die-with-parent', '--unshare-pid', '--unshare-ipc'];
  if (spec.dropCapabilities) args.push('--cap-drop', 'ALL');
  args.push('--tmpfs', '/');
  for (const entry of spec.system) {
    if (entry.symlinkTo !== undefined) args.push('--symlink', entry.symlinkTo, entry.path);
    else args.push('--ro-bind', entry.path, entry.path);
  }
  args.push('--proc', '/proc', '--dev', '/dev', '--bind', spec.tmpHost, '/tmp', '--symlink', '../tmp', '/var/tmp');
  // Parents before children, so `/workspace/source` lands inside the already bound `/workspace`.
  const mounts = [...spec.mounts].sort((a, b) => depth(a.container) - depth(b.container) || a.container.localeCompare(b.container));
  for (const m of mounts) args.push(m.readOnly ? '--ro-bind' : '--bind', m.host, m.container);
  for (const p of [...(spec.readOnly ?? [])].sort((a, b) => depth(a) - depth(b) || a.localeCompare(b))) args.push('--ro-bind', p, p);
  if (spec.createWorkingDir) args.push('--dir', spec.workingDir);
  args.push('--chdir', spec.workingDir, '--', ...spec.command);
  return args;
}

function depth(p: string): number {
  return path.posix.normalize(p).split('/').filter(Boolean).length;
}
