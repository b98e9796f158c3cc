import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { PipelineDeps } from './ports';

/** A folder in `runs/` that has no row to explain it is left alone this long (its row may be on its way). */
const ORPHAN_GRACE_MS = 10 * 60_000;

export interface PruneOptions {
  runsDir: string;
  /** How long a finished TaskRun of a PipelineRun keeps its scratch folder (results, steps, home, tmp). */
  keepFinishedMs: number;
}

/**
 * Frees the disk of runs nobody can look at any more, as Kubernetes does when it deletes a finished
 * TaskRun's pod and emptyDirs, or a deleted PipelineRun's volumeClaimTemplate PVCs:
 * - a PipelineRun's folder (its shared workspaces) stays while the PipelineRun exists;
 * - a standalone TaskRun's folder (its scratch folders and workspaces) stays while the TaskRun exists;
 * - a TaskRun of a PipelineRun loses its scratch folder (and those of its retries) `keepFinishedMs`
 *   after it finished: its results and logs are in the database by then;
 * - a folder no run explains goes once it is older than ten minutes.
 * The executor's folder pool (`.pool`) is its own business.
 */
export async function pruneRunFolders(deps: PipelineDeps, o: PruneOptions): Promise<{ removed: string[] }> {
  let entries: string[];
  try {
    entries = (await readdir(o.runsDir)).filter((e) => !e.startsWith('.'));
  } catch {
    return { removed: [] };
  }
  if (entries.length === 0) return { removed: [] };
  const nameOf = (entry: string) => entry.replace(/\.retry-\d+$/, '');
  const names = [...new Set(entries.map(nameOf))];
  const now = deps.now().getTime();
  const keep = new Set<string>();
  const known = new Set<string>();
  for (let i = 0; i < names.length; i += 1000) {
    const batch = names.slice(i, i + 1000);
    for (const name of await deps.stores.runs.existingNames(batch)) {
      keep.add(name);
      known.add(name);
    }
    const tasks = await deps.stores.taskRuns.named(batch);
    for (const t of tasks) {
      known.add(t.name);
      const finishedLongAgo = t.completedAt !== null && now - t.completedAt.getTime() > o.keepFinishedMs;
      if (t.pipelineRunId === null || !finishedLongAgo) keep.add(t.name);
    }
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const name = nameOf(entry);
    if (keep.has(name)) continue;
    const folder = path.join(o.runsDir, entry);
    if (!known.has(name)) {
      const info = await stat(folder).catch(() => undefined);
      if (!info || now - info.mtimeMs < ORPHAN_GRACE_MS) continue;
    }
    await rm(folder, { recursive: true, force: true });
    removed.push(entry);
  }
  return { removed };
}

/**
 * Removes the folders of runs that were just deleted (a PipelineRun's, its TaskRuns' and their retries'), right away
 * rather than at the next sweep; another worker machine's folders go at its own sweep (no row explains them).
 */
export async function removeRunFoldersNamed(runsDir: string, names: readonly string[]): Promise<string[]> {
  const wanted = new Set(names);
  if (wanted.size === 0) return [];
  const entries = await readdir(runsDir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const entry of entries) {
    if (entry.startsWith('.') || !wanted.has(entry.replace(/\.retry-\d+$/, ''))) continue;
    await rm(path.join(runsDir, entry), { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}
