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
  /**
   * Host folders covered with an empty tmpfs when a system folder or a read-only path would show them
   * (Keelson's data dir when it is installed under /opt or a listed path): steps never see its keys.
   */
  hidden?: readonly string[];
  mounts: readonly PathMapping[];
  /** Host folder bound to `/tmp`, private to the TaskRun. */
  tmpHost: string;
  workingDir: string;
  /** Create the working directory inside the sandbox (it lies on the tmpfs root, not on a mount). */
  createWorkingDir: boolean;
  /** Running as root: drop every capability, or a step could remount `/usr` read-write. */
  dropCapabilities: boolean;
  /**
   * Running as root: the step becomes this unprivileged host user (setpriv), then root of its own user
   * namespace (unshare, so it sees uid 0 as in a container), then drops every capability of that
   * namespace too (setpriv). Without it (Keelson not root), bubblewrap's own user namespace is used.
   */
  drop?: StepDrop;
  /** `none`: a network namespace with only loopback; `inherit`: the namespace bubblewrap starts in. */
  network: 'none' | 'inherit';
  command: readonly string[];
}

export interface StepDrop {
  uid: number;
  gid: number;
  setpriv: string;
  unshare: string;
}

/**
 * The bubblewrap command line for one step: an empty tmpfs root, the host's system directories
 * read-only, the run's folders bound at Tekton's container paths, its own user, pid, ipc, uts and
 * cgroup namespaces, and no network or the TaskRun's own (entered before bubblewrap, see step-network.ts).
 */
export function buildBwrapArgs(spec: BwrapSpec): string[] {
  if (spec.command.length === 0) throw new Error('buildBwrapArgs: empty command');
  const args = [
    '--die-with-parent',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    // The step's own command is pid 1, as a container's entrypoint is: no bubblewrap reaper in the step's
    // pid namespace, whose command line (every host folder bound) the step would read in /proc/1/cmdline.
    '--as-pid-1',
    '--hostname',
    'keelson-step',
  ];
  if (spec.network === 'none') args.push('--unshare-net');
  // setpriv needs these two to become the step user; changing to a non-root uid then clears them.
  if (spec.drop) args.push('--cap-drop', 'ALL', '--cap-add', 'CAP_SETUID', '--cap-add', 'CAP_SETGID');
  else if (spec.dropCapabilities) args.push('--cap-drop', 'ALL');
  else args.push('--unshare-user', '--cap-drop', 'ALL');
  args.push('--tmpfs', '/');
  for (const entry of spec.system) {
    if (entry.symlinkTo !== undefined) args.push('--symlink', entry.symlinkTo, entry.path);
    else args.push('--ro-bind', entry.path, entry.path);
  }
  args.push('--proc', '/proc', '--dev', '/dev', '--bind', spec.tmpHost, '/tmp');
  // `/var` on the tmpfs root, made 0755 first: bubblewrap would make it 0700 for `/var/tmp`, and then
  // neither `/var/tmp` nor a volume mounted under `/var` (upstream's `/var/secret`) could be reached.
  if (!spec.system.some((e) => e.path === '/var')) args.push('--perms', '0755', '--dir', '/var');
  args.push('--symlink', '../tmp', '/var/tmp');
  // Parents before children, so `/workspace/source` lands inside the already bound `/workspace`.
  const mounts = [...spec.mounts].sort(
    (a, b) => depth(a.container) - depth(b.container) || a.container.localeCompare(b.container),
  );
  // Folders bubblewrap would otherwise make 0700 on the tmpfs root (`/tekton`): the step user must pass through them.
  for (const dir of tmpfsParents(
    mounts.map((m) => m.container),
    spec.system,
  ))
    args.push('--perms', '0755', '--dir', dir);
  for (const m of mounts) {
    if (m.fd !== undefined) args.push(m.readOnly ? '--ro-bind-fd' : '--bind-fd', String(m.fd), m.container);
    else args.push(m.readOnly ? '--ro-bind' : '--bind', m.host, m.container);
  }
  for (const p of [...(spec.readOnly ?? [])].sort((a, b) => depth(a) - depth(b) || a.localeCompare(b)))
    args.push('--ro-bind', p, p);
  const shown = [...spec.system.filter((e) => e.symlinkTo === undefined).map((e) => e.path), ...(spec.readOnly ?? [])];
  for (const p of spec.hidden ?? []) if (shown.some((s) => p === s || p.startsWith(`${s}/`))) args.push('--tmpfs', p);
  // On the tmpfs root, made by bubblewrap as root: writable for the step user as `/tmp` is.
  if (spec.createWorkingDir) args.push('--perms', '1777', '--dir', spec.workingDir);
  args.push('--chdir', spec.workingDir, '--', ...(spec.drop ? dropPrefix(spec.drop) : []), ...spec.command);
  return args;
}

/** Host root → the step user (no groups, no new privileges) → root of a new user namespace → no capabilities. */
export function dropPrefix(drop: StepDrop): string[] {
  return [
    drop.setpriv,
    `--reuid=${drop.uid}`,
    `--regid=${drop.gid}`,
    '--clear-groups',
    '--no-new-privs',
    '--',
    drop.unshare,
    '--user',
    '--map-root-user',
    '--',
    drop.setpriv,
    '--bounding-set=-all',
    '--inh-caps=-all',
    '--',
  ];
}

/** Parent folders of mount points that lie on the tmpfs root, not inside a mount or a system folder, parents first. */
function tmpfsParents(containers: readonly string[], system: readonly SystemEntry[]): string[] {
  // `/tmp` (and `/var/tmp`, a symlink to it) is bound from the TaskRun's tmp folder, which steps write:
  // the worker makes mount points there without following a symlink (checkStepMounts), never bubblewrap.
  const covered = (p: string) =>
    [...containers, ...system.map((e) => e.path), '/tmp', '/var/tmp'].some((c) => p === c || p.startsWith(`${c}/`));
  const parents = new Set<string>();
  for (const c of containers) {
    const parts = path.posix.normalize(c).split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const parent = `/${parts.slice(0, i).join('/')}`;
      if (!covered(parent)) parents.add(parent);
    }
  }
  return [...parents].sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
}

function depth(p: string): number {
  return path.posix.normalize(p).split('/').filter(Boolean).length;
}
