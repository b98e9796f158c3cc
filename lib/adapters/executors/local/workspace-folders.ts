import { closeSync, constants, fchownSync, lstatSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import { nestedMountPaths } from '../../../domain/pipeline/workspace-paths';
import type { WorkspacePlan } from '../../../domain/pipeline/task-run-plan';
import type { PathMapping, RunFolders } from './path-rewrite';
import { chownFolder, inFolder, makeFolders, namesBelow, openFolder, UnsafePathError, type Owner } from './safe-path';
import { adoptForSteps, type StepUser } from './step-user';
import { volumesRoot } from './volumes';

/**
 * The worker's side of "a step never reaches past its workspace" (issue 10, hole 2): every folder
 * the worker makes or hands to the sandbox is reached from a root no step can replace, name by
 * name, without following a symlink. Steps write inside workspaces and the TaskRun's folders, so
 * anything below those roots may be a symlink a step planted; these checks run again right before
 * every step, because an earlier step (or another TaskRun on the same volume) may have swapped a
 * folder for a symlink since.
 */

/** The names from a workspace's root down to its host folder, or a sentence saying why there are none. */
function workspaceNames(w: { hostPath: string; root?: string }): string[] | string {
  return namesBelow(w.root ?? w.hostPath, w.hostPath) ?? `${w.hostPath} lies outside its volume ${w.root}`;
}

function unsafe(what: string, error: unknown): string {
  if (error instanceof UnsafePathError) return `${what} cannot be used: ${error.message}`;
  throw error;
}

/** Makes each workspace's host folder below its root; returns why the TaskRun cannot run, if it cannot. */
export function prepareWorkspaceFolders(workspaces: readonly WorkspacePlan[]): string | undefined {
  for (const [inner, outer] of nestedMountPaths(workspaces.map((w) => w.mountPath))) {
    return `workspace "${workspaces[inner].name}" at ${workspaces[inner].mountPath} lies inside workspace "${workspaces[outer].name}" at ${workspaces[outer].mountPath}; give each workspace its own mountPath`;
  }
  for (const w of workspaces) {
    const names = workspaceNames(w);
    if (typeof names === 'string') return `workspace "${w.name}": ${names}`;
    try {
      // The root is the worker's own folder (`<data>/volumes/<claim>`, a run's workspace folder), out of every step's reach.
      mkdirSync(w.root ?? w.hostPath, { recursive: true });
      makeFolders(w.root ?? w.hostPath, names);
    } catch (error) {
      return unsafe(`workspace "${w.name}"`, error);
    }
  }
  return undefined;
}

/** Gives each writable workspace's folder to the step user (see adoptForSteps); returns why the TaskRun cannot run, if it cannot. */
export function adoptWorkspaces(workspaces: readonly WorkspacePlan[], user: StepUser): string | undefined {
  for (const w of workspaces) {
    if (w.readOnly) continue;
    const names = workspaceNames(w);
    if (typeof names === 'string') return `workspace "${w.name}": ${names}`;
    try {
      adoptForSteps(w.root ?? w.hostPath, names, user);
    } catch (error) {
      return unsafe(`workspace "${w.name}"`, error);
    }
  }
  return undefined;
}

/**
 * Makes `/tekton/steps/step-<name>/results`, given to the step user when there is one; returns why it
 * could not (an earlier step put a symlink there).
 */
export function makeStepResultsFolder(folders: RunFolders, step: string, owner?: StepUser): string | undefined {
  try {
    makeFolders(folders.steps, [`step-${step}`, 'results']);
    if (owner) chownFolder(folders.steps, [`step-${step}`, 'results'], owner);
    return undefined;
  } catch (error) {
    return unsafe(`step "${step}"'s results folder`, error);
  }
}

/**
 * Right before a step starts: each workspace's folder is still reached from its root without a
 * symlink, and every mount point inside another mount (a workspace or volume in `/workspace/a/b`,
 * `/tmp/x`, inside a Task volume a step mounts at `/workspace`, a ConfigMap file at `/workspace/conf/x`)
 * is made by the worker as a real folder or an empty file, reached from that mount's folder without
 * following a symlink. Bubblewrap runs as root and makes what is missing through symlinks (the host's
 * root is at /oldroot while it sets up), so it must never have to make one in a folder steps write.
 * `extra`: the operator's read-only paths, bound at the same path (one under `/tmp` lies in the run's tmp).
 * Returns why the step cannot run, if it cannot.
 */
export function checkStepMounts(
  mappings: readonly PathMapping[],
  folders: RunFolders,
  sandboxed: boolean,
  owner?: Owner,
  extra: readonly string[] = [],
): string | undefined {
  const parents = [...mappings, tmpMapping(folders)];
  for (const m of [...mappings, ...extra.map(operatorMount)]) {
    const what = m.root === undefined ? 'the mount' : 'the workspace';
    try {
      if (m.root !== undefined) {
        const names = workspaceNames({ hostPath: m.host, root: m.root });
        if (typeof names === 'string') return names;
        makeFolders(m.root, names);
      }
      if (!sandboxed) continue;
      const problem = makeMountPoint(m, parents, folders, owner);
      if (problem) return problem;
    } catch (error) {
      return unsafe(`${what} at ${m.container}`, error);
    }
  }
  return undefined;
}

/** Makes `m`'s mount point inside the mount that holds it, if one does; returns why it cannot be made there. */
function makeMountPoint(
  m: PathMapping,
  parents: readonly PathMapping[],
  folders: RunFolders,
  owner?: Owner,
): string | undefined {
  const parent = enclosing(m.container, parents)[0];
  if (!parent) return undefined;
  if (parent.file) return `${m.container} lies inside the file mounted at ${parent.container}; mount it elsewhere`;
  const rest = below(m.container, parent.container);
  let root = parent.host;
  let above: string[] = [];
  if (parent.root !== undefined) {
    // Only inside a Task volume of this TaskRun (a volume at /workspace), from the volume's own folder;
    // never inside a workspace, which other TaskRuns may write at the same time.
    const names = namesBelow(volumesRoot(folders), parent.root)
      ? workspaceNames({ hostPath: parent.host, root: parent.root })
      : undefined;
    if (names === undefined)
      return `${m.file ? 'the file mounted' : 'workspace'} at ${m.container} lies inside the workspace at ${parent.container}; give each workspace its own mountPath`;
    if (typeof names === 'string') return names;
    root = parent.root;
    above = names;
  }
  const mine = parent.readOnly ? undefined : owner;
  if (!m.file) makeFolders(root, [...above, ...rest], mine);
  else makeMountFile(root, [...above, ...rest.slice(0, -1)], rest[rest.length - 1], mine);
  return undefined;
}

/** An empty file to mount a file on, made without following a symlink; an existing regular file is kept. */
function makeMountFile(root: string, names: readonly string[], file: string, owner?: Owner): void {
  const shown = path.join(root, ...names, file);
  inFolder(root, names, owner ?? true, (dir) => {
    const at = `${dir}/${file}`;
    try {
      // O_EXCL: never through a symlink left at that name, dangling or not.
      const fd = openSync(at, constants.O_RDONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o444);
      try {
        if (owner) fchownSync(fd, owner.uid, owner.gid);
      } finally {
        closeSync(fd);
      }
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const found = lstatSync(at);
    if (found.isSymbolicLink())
      throw new UnsafePathError(`${shown} is a symlink; a symlink on a mount path is refused`);
    if (!found.isFile()) throw new UnsafePathError(`${shown} is not a file, so a file cannot be mounted on it`);
  });
}

/** `/var/tmp` is a symlink to `/tmp` in the sandbox: both are the TaskRun's own tmp folder. */
export function inSandboxTerms(p: string): string {
  return p === '/var/tmp' || p.startsWith('/var/tmp/') ? `/tmp${p.slice('/var/tmp'.length)}` : p;
}

/** The TaskRun's `/tmp` as a mapping: bubblewrap binds it itself (bwrap-args), and steps write in it. */
export function tmpMapping(folders: RunFolders): PathMapping {
  return { container: '/tmp', host: folders.tmp, readOnly: false };
}

/** An operator's read-only path, bound at the same path: a folder, or a file. */
function operatorMount(p: string): PathMapping {
  return { container: p, host: p, readOnly: true, file: !statSync(p, { throwIfNoEntry: false })?.isDirectory() };
}

/** The mappings a container path lies strictly inside, innermost first. */
function enclosing(container: string, mappings: readonly PathMapping[]): PathMapping[] {
  const c = inSandboxTerms(container);
  return mappings
    .filter((p) => c.startsWith(`${inSandboxTerms(p.container)}/`))
    .sort((a, b) => inSandboxTerms(b.container).length - inSandboxTerms(a.container).length);
}

/** The names of a container path below an enclosing one. */
function below(container: string, parent: string): string[] {
  return inSandboxTerms(container)
    .slice(inSandboxTerms(parent).length + 1)
    .split('/');
}

/**
 * A mount point that bubblewrap would reach through a folder steps or sidecars may write, in a way a
 * sidecar running at the same time could turn into a symlink after the worker made it: a file (made
 * with creat, which follows a symlink left at its name), anything below a folder of such a mount
 * (`/workspace/a/b`: `a` can be swapped, and root makes `b` wherever it points), or a folder right
 * inside one (`/workspace/x`) that is not also a mount point in every sidecar (`sidecars`: their
 * mappings): swapped for `x -> ../etc`, the step's writable folder would be mounted over the sandbox's
 * `/etc`, where setpriv runs as root. A mount point of the sidecar's own view cannot be renamed or
 * removed from it (EBUSY), so the shared workspaces at `/workspace/<name>` are safe.
 * Returns the mount point, the folder it lies in and why, if there is one.
 */
export function raceableMountPoint(
  mappings: readonly PathMapping[],
  folders: RunFolders,
  extra: readonly string[] = [],
  sidecars: readonly (readonly PathMapping[])[] = [],
): { container: string; inside: string; what: string } | undefined {
  const parents = [...mappings, tmpMapping(folders)];
  for (const m of [...mappings, ...extra.map(operatorMount)]) {
    const outer = enclosing(m.container, parents).at(-1);
    if (!outer) continue;
    const found = { container: m.container, inside: outer.container };
    if (m.file) return { ...found, what: `a file at ${m.container} in ${outer.container}` };
    if (below(m.container, outer.container).length > 1)
      return { ...found, what: `${m.container}, below a folder of ${outer.container}` };
    const alike = (view: readonly PathMapping[]) => {
      const theirs = enclosing(m.container, [...view, tmpMapping(folders)])[0];
      const mounted = extra.includes(m.container) || view.some((v) => v.container === m.container);
      return (
        mounted && theirs?.host === outer.host && inSandboxTerms(theirs.container) === inSandboxTerms(outer.container)
      );
    };
    if (!sidecars.every(alike))
      return { ...found, what: `${m.container} in ${outer.container}, which not every sidecar mounts too` };
  }
  return undefined;
}

/** Workspace mounts whose host folders are held open for the time a step runs. */
export interface PinnedMounts {
  mappings: PathMapping[];
  release(): void;
}

/**
 * Opens each workspace's host folder from its root without following a symlink, and hands the
 * descriptor to bubblewrap (--bind-fd): it binds exactly the folder that was checked, even if a step
 * of another TaskRun on the same volume swaps a folder on the path for a symlink after the check,
 * and it refuses to start when what it mounted is not that folder ("Race condition binding dirfd").
 * Release after the step. Returns why the step cannot run when a folder on the way is a symlink or missing.
 */
export function pinWorkspaceMounts(mappings: readonly PathMapping[]): PinnedMounts | string {
  const fds: number[] = [];
  const release = () => fds.splice(0).forEach((fd) => closeSync(fd));
  try {
    const pinned = mappings.map((m) => {
      if (m.root === undefined) return m;
      const names = workspaceNames({ hostPath: m.host, root: m.root });
      if (typeof names === 'string') throw new UnsafePathError(names);
      fds.push(openFolder(m.root, names));
      return { ...m, fd: fds[fds.length - 1] };
    });
    return { mappings: pinned, release };
  } catch (error) {
    release();
    if (error instanceof UnsafePathError) return `the workspace cannot be mounted: ${error.message}`;
    throw error;
  }
}
