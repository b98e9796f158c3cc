import { closeSync, mkdirSync } from 'node:fs';
import { nestedMountPaths } from '../../../domain/pipeline/workspace-paths';
import type { WorkspacePlan } from '../../../domain/pipeline/task-run-plan';
import type { PathMapping, RunFolders } from './path-rewrite';
import { chownFolder, makeFolders, namesBelow, openFolder, UnsafePathError } from './safe-path';
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
 * symlink, and a workspace mounted inside one of the TaskRun's writable folders (`/workspace/a/b`,
 * `/tmp/x`, or a Task volume a step mounts at `/workspace`) finds its mount point there as a real folder, so bubblewrap never makes one through a
 * symlink an earlier step left. Returns why the step cannot run, if it cannot.
 */
export function checkStepMounts(
  mappings: readonly PathMapping[],
  folders: RunFolders,
  sandboxed: boolean,
): string | undefined {
  const parents = [...mappings, { container: '/tmp', host: folders.tmp, readOnly: false }];
  for (const m of mappings) {
    if (m.root === undefined) continue;
    const names = workspaceNames({ hostPath: m.host, root: m.root });
    try {
      if (typeof names === 'string') return names;
      makeFolders(m.root, names);
      if (!sandboxed) continue;
      const parent = parents
        .filter((p) => p !== m && m.container.startsWith(`${p.container}/`))
        .sort((a, b) => b.container.length - a.container.length)[0];
      if (!parent || parent.readOnly) continue;
      const rest = m.container.slice(parent.container.length + 1).split('/');
      if (parent.root !== undefined) {
        // A Task volume of this TaskRun mounted above it (a volume at /workspace): its mount point is made
        // from the volume's own folder without following a symlink. Never inside another workspace.
        const below = namesBelow(volumesRoot(folders), parent.root)
          ? workspaceNames({ hostPath: parent.host, root: parent.root })
          : undefined;
        if (below === undefined)
          return `workspace at ${m.container} lies inside the workspace at ${parent.container}; give each workspace its own mountPath`;
        if (typeof below === 'string') return below;
        makeFolders(parent.root, [...below, ...rest]);
        continue;
      }
      makeFolders(parent.host, rest);
    } catch (error) {
      return unsafe(`the workspace at ${m.container}`, error);
    }
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
