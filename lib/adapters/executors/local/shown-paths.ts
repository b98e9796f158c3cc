import path from 'node:path';
import type { ExecutionHooks, StepOutcome, TaskRunOutcome, TaskRunPlan } from '../../../domain/pipeline/task-run-plan';
import { CONTAINER, escapeRegExp, NAME_CHAR, pathMappings, runFolders, type RunFolders } from './path-rewrite';
import { withStepWorkspaces } from './step-workspaces';
import { volumesRoot, withStepVolumes } from './volumes';

/**
 * What a step's user reads never names the worker's folders (issue 13): every message and log line
 * the local executor hands back names a path as the step sees it (`/workspace/…`, `/tmp/…`,
 * `/tekton/…`), a workspace's or volume's own folder by its name, and any other path in the run's
 * folder, the runs folder or the data dir as `<worker folder>`. TaskRun status and logs are read by
 * everyone who can get the run; the worker's data folder layout is not theirs to know.
 */
export const WORKER_FOLDER = '<worker folder>';

/** A host folder and what is shown instead of it. */
interface Shown {
  host: string;
  shown: string;
  /**
   * A mount's folder below its volume's own (a subPath): only what lies inside it is shown at the
   * mount path; the folder itself is named from its volume (`<volume "c">/x is a symlink`, not `/d is a symlink`).
   */
  insideOnly?: boolean;
}

/** The rest of a path after a host folder: up to a space, a quote or punctuation that ends a path in a sentence. */
const REST = `(?:/[^\\s'"\`,;:()\\[\\]]*)?`;

/** Every host folder of the TaskRun with what a step's user is told instead; the first claim on a folder wins. */
function shownFolders(plan: TaskRunPlan, folders: RunFolders): Shown[] {
  const entries: Shown[] = [];
  const base = pathMappings(folders, plan.workspaces);
  // Each step's own mounts (isolated workspaces, volumeMounts), then the TaskRun's.
  for (const step of plan.steps)
    for (const m of withStepVolumes(withStepWorkspaces(base, step, plan.workspaces), step, plan, folders))
      entries.push({ host: m.host, shown: m.container, insideOnly: m.root !== undefined && m.root !== m.host });
  entries.push({ host: folders.tmp, shown: '/tmp' });
  for (const w of plan.workspaces)
    entries.push({ host: path.resolve(w.root ?? w.hostPath), shown: `<workspace "${w.name}">` });
  for (const v of plan.volumes ?? [])
    entries.push({ host: path.join(volumesRoot(folders), v.name), shown: `<volume "${v.name}">` });
  entries.push({ host: folders.scripts, shown: CONTAINER.scripts });
  const seen = new Set<string>();
  return entries.filter((e) => !seen.has(`${e.host} ${e.insideOnly}`) && seen.add(`${e.host} ${e.insideOnly}`));
}

/**
 * Rewrites host paths in `text` for a step's user: the TaskRun's folders to their container paths,
 * and any other path below `workerRoots` (the run's folder, the runs folder, the data dir) to
 * `<worker folder>`. One pass, so text already shown is never rewritten again.
 */
export function hostPathHider(plan: TaskRunPlan, workDir: string, workerRoots: readonly string[]) {
  const folders = runFolders(workDir);
  const mapped = shownFolders(plan, folders).sort((a, b) => b.host.length - a.host.length);
  const roots = [folders.root, path.dirname(folders.root), ...workerRoots.map((r) => path.resolve(r))].filter(
    (r) => r !== '/',
  );
  const starts = [...new Set([...mapped.map((e) => e.host), ...roots])].sort((a, b) => b.length - a.length);
  // A whole path that starts with a known host folder; which folder names it is decided in `shown`.
  const pattern = new RegExp(
    `(?<![${NAME_CHAR}/])(?:${starts.map(escapeRegExp).join('|')})${REST}(?![${NAME_CHAR}])`,
    'g',
  );
  const shown = (hostPath: string): string => {
    for (const e of mapped) {
      if (hostPath === e.host && !e.insideOnly) return e.shown;
      if (hostPath.startsWith(`${e.host}/`)) return e.shown + hostPath.slice(e.host.length);
    }
    return WORKER_FOLDER;
  };
  return (text: string): string => text.replace(pattern, shown);
}

type Run = (plan: TaskRunPlan, workDir: string, hooks: ExecutionHooks) => Promise<TaskRunOutcome>;

/** `run` with every message, step message and log line it hands back shown in the step's terms (see hostPathHider). */
export function hidingHostPaths(run: Run, workerRoots: readonly string[]): Run {
  return async (plan, workDir, hooks) => {
    const hide = hostPathHider(plan, workDir, workerRoots);
    const step = (o: StepOutcome): StepOutcome => (o.message === undefined ? o : { ...o, message: hide(o.message) });
    let outcome: TaskRunOutcome;
    try {
      outcome = await run(plan, workDir, {
        ...hooks,
        onLogs: (lines) => hooks.onLogs(lines.map((l) => ({ ...l, text: hide(l.text) }))),
        ...(hooks.onStepFinished ? { onStepFinished: (o: StepOutcome) => hooks.onStepFinished?.(step(o)) } : {}),
      });
    } catch (error) {
      // An unexpected error (EACCES on a run's folder) names host paths too; whoever records it shows the step's terms.
      if (error instanceof Error) {
        error.message = hide(error.message);
        if (error.stack) error.stack = hide(error.stack);
      }
      throw error;
    }
    return { ...outcome, message: hide(outcome.message), steps: outcome.steps.map(step) };
  };
}
