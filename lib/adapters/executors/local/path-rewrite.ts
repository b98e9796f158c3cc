import path from 'node:path';

/** A container path (Tekton's contract) and the host folder that backs it. */
export interface PathMapping {
  container: string;
  host: string;
  readOnly: boolean;
  /** For a workspace: its volume's own folder, from which `host` is reached without following symlinks. */
  root?: string;
  /** The worker's open descriptor of `host` while a step starts: bubblewrap binds it (--bind-fd), not the path. */
  fd?: number;
  /** A single file is bound here (a ConfigMap or Secret key by subPath), not a folder. */
  file?: boolean;
}

/** The per-TaskRun folders under the executor's workDir. */
export interface RunFolders {
  root: string;
  results: string;
  steps: string;
  home: string;
  tmp: string;
  scripts: string;
  /** Backs `/workspace` itself, shared by the steps as Tekton's `/workspace` emptyDir is. */
  workspace: string;
}

export const CONTAINER = {
  workspace: '/workspace',
  results: '/tekton/results',
  steps: '/tekton/steps',
  home: '/tekton/home',
  scripts: '/tekton/scripts',
} as const;

export function runFolders(workDir: string): RunFolders {
  const root = path.resolve(workDir);
  const sub = (name: string) => path.join(root, name);
  return {
    root,
    results: sub('results'),
    steps: sub('steps'),
    home: sub('home'),
    tmp: sub('tmp'),
    scripts: sub('scripts'),
    workspace: sub('workspace'),
  };
}

/** The folders inside the TaskRun's root folder. */
export function subfolders(folders: RunFolders): string[] {
  return [folders.results, folders.steps, folders.home, folders.tmp, folders.scripts, folders.workspace];
}

/** Every container path the executor provides, most specific first. */
export function pathMappings(
  folders: RunFolders,
  workspaces: readonly { mountPath: string; hostPath: string; root?: string; readOnly: boolean }[],
): PathMapping[] {
  const mappings: PathMapping[] = [
    ...workspaces.map((w) => ({
      container: normalise(w.mountPath),
      host: path.resolve(w.hostPath),
      readOnly: w.readOnly,
      root: path.resolve(w.root ?? w.hostPath),
    })),
    { container: CONTAINER.workspace, host: folders.workspace, readOnly: false },
    { container: CONTAINER.results, host: folders.results, readOnly: false },
    { container: CONTAINER.steps, host: folders.steps, readOnly: false },
    { container: CONTAINER.home, host: folders.home, readOnly: false },
    { container: CONTAINER.scripts, host: folders.scripts, readOnly: true },
  ];
  return mappings.sort((a, b) => b.container.length - a.container.length);
}

/** Characters that continue a path segment: a match must not be glued to them on either side. */
export const NAME_CHAR = 'A-Za-z0-9_.~\\-';

/**
 * Rewrites container paths to host paths in free text (scripts, args, env values). A path is
 * rewritten only where it starts a path: `/workspace/source/x` and `cd=/tekton/home` change,
 * `/srv/workspace` and `/workspace-old` do not. One pass, so rewritten text is never rewritten again.
 */
export function rewritePaths(text: string, mappings: readonly PathMapping[]): string {
  if (mappings.length === 0) return text;
  const byContainer = new Map(mappings.map((m) => [m.container, m.host]));
  const alternatives = [...byContainer.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(?<![${NAME_CHAR}/])(${alternatives.join('|')})(?![${NAME_CHAR}])`, 'g');
  return text.replace(pattern, (match: string) => byContainer.get(match) ?? match);
}

/** The host path behind an absolute container path, or undefined when no mapping covers it. */
export function toHostPath(
  containerPath: string,
  mappings: readonly PathMapping[],
): { host: string; readOnly: boolean } | undefined {
  const found = mappingOf(containerPath, mappings);
  return found && { host: path.join(found.mapping.host, ...found.names), readOnly: found.mapping.readOnly };
}

/** The mapping that covers an absolute container path, and the folder names below its container path. */
export function mappingOf(
  containerPath: string,
  mappings: readonly PathMapping[],
): { mapping: PathMapping; names: string[] } | undefined {
  const p = normalise(containerPath);
  for (const m of mappings) {
    if (p === m.container) return { mapping: m, names: [] };
    if (p.startsWith(`${m.container}/`))
      return {
        mapping: m,
        names: p
          .slice(m.container.length + 1)
          .split('/')
          .filter(Boolean),
      };
  }
  return undefined;
}

function normalise(p: string): string {
  const n = path.posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
