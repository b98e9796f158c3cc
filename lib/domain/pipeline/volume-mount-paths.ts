import { MAX_PATH_BYTES, mountPathProblem, normaliseContainerPath } from './workspace-paths';

/** Tekton's home folder: a step's volumeMount may replace it (or go below it), as upstream allows. */
export const HOME_DIR = '/tekton/home';
/** The folder that holds the Task's workspaces: a volume may replace it, the workspaces are mounted on top. */
export const WORKSPACE_DIR = '/workspace';

/**
 * What is wrong with a step's (or sidecar's) volumeMount path, or undefined when it is fine: a
 * workspace's rules, except that, as upstream's validation allows, a volume may be mounted at
 * `/tekton/home` (or below it) and at `/workspace` itself, replacing those folders for the steps
 * that mount it. Every other folder under `/tekton` (results, steps, scripts, run) stays the executor's.
 */
export function volumeMountPathProblem(value: string): string | undefined {
  const problem = mountPathProblem(value);
  if (!problem || value.includes('\0') || !value.startsWith('/') || value.split('/').includes('..')) return problem;
  if (new TextEncoder().encode(value).length > MAX_PATH_BYTES) return problem;
  const p = normaliseContainerPath(value);
  if (p === WORKSPACE_DIR || p === HOME_DIR || p.startsWith(`${HOME_DIR}/`)) return undefined;
  if (p === '/tekton' || p.startsWith('/tekton/'))
    return `lies under /tekton, which the executor provides (results, steps, scripts); of its folders only ${HOME_DIR} may take a volume, which replaces it for the steps that mount it`;
  return problem;
}

/** The same for a mountPath that may hold `$(…)` references, each counted as a plain name until it is substituted. */
export function templateVolumeMountPathProblem(value: string): string | undefined {
  // A leading reference may give an absolute path (`$(workspaces.w.path)/x`, `$(params.dir)`).
  return volumeMountPathProblem(value.replace(/^\$\([^)]*\)/, '/x').replace(/\$\([^)]*\)/g, 'x'));
}
