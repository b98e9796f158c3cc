import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { baseRunFolder, pipelineRunFolder, runFolderOwner, taskRunFolder } from '@/lib/domain/pipeline/run-folders';
import type { PipelineDeps } from './ports';

/** A folder in `runs/` that has no row to explain it is left alone this long (its row may be on its way). */
const ORPHAN_GRACE_MS = 10 * 60_000;

export interface PruneOptions {
  runsDir: string;
  /** How long a finished TaskRun of a PipelineRun keeps its scratch folder (results, steps, home, tmp). */
  keepFinishedMs: number;
}

type RowStores = { stores: Pick<PipelineDeps['stores'], 'runs' | 'taskRuns'> };

/** The run that still holds a folder: a PipelineRun, or a TaskRun with what decides how long it keeps it. */
type Holder = { kind: 'PipelineRun' } | { kind: 'TaskRun'; pipelineRunId: string | null; completedAt: Date | null };

/** The rows that hold these `runs/` entries' folders (run-folders.ts), by first-attempt folder. */
async function holdersOf(deps: RowStores, entries: readonly string[]): Promise<Map<string, Holder>> {
  const owners = entries.flatMap((e) => runFolderOwner(e) ?? []);
  const namesOf = (kind: 'PipelineRun' | 'TaskRun') => [
    ...new Set(owners.filter((w) => w.kind === kind).map((w) => w.name)),
  ];
  const held = new Map<string, Holder>();
  const runNames = namesOf('PipelineRun');
  for (let i = 0; i < runNames.length; i += 1000)
    for (const name of await deps.stores.runs.existingNames(runNames.slice(i, i + 1000)))
      held.set(pipelineRunFolder(name), { kind: 'PipelineRun' });
  const taskNames = namesOf('TaskRun');
  for (let i = 0; i < taskNames.length; i += 1000)
    for (const t of await deps.stores.taskRuns.named(taskNames.slice(i, i + 1000)))
      held.set(taskRunFolder(t.name), { kind: 'TaskRun', pipelineRunId: t.pipelineRunId, completedAt: t.completedAt });
  return held;
}

const runEntries = async (runsDir: string) =>
  (await readdir(runsDir).catch(() => [] as string[])).filter((e) => runFolderOwner(e) !== undefined);

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
  const entries = await runEntries(o.runsDir);
  if (entries.length === 0) return { removed: [] };
  const held = await holdersOf(deps, entries);
  const now = deps.now().getTime();
  const removed: string[] = [];
  for (const entry of entries) {
    const holder = held.get(baseRunFolder(entry)!);
    const folder = path.join(o.runsDir, entry);
    if (holder?.kind === 'PipelineRun') continue;
    if (holder?.kind === 'TaskRun') {
      const finishedLongAgo = holder.completedAt !== null && now - holder.completedAt.getTime() > o.keepFinishedMs;
      if (holder.pipelineRunId === null || !finishedLongAgo) continue;
    } else {
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
 * `folders` are first-attempt folders (run-folders.ts): a TaskRun's retries go with it. The kinds never share a
 * folder, and a folder a row still holds (a run created under a deleted run's name since) stays.
 */
export async function removeRunFoldersNamed(
  deps: RowStores,
  runsDir: string,
  folders: readonly string[],
): Promise<string[]> {
  const wanted = new Set(folders);
  if (wanted.size === 0) return [];
  const entries = (await runEntries(runsDir)).filter((e) => wanted.has(baseRunFolder(e)!));
  const held = await holdersOf(deps, entries);
  const removed: string[] = [];
  for (const entry of entries) {
    if (held.has(baseRunFolder(entry)!)) continue;
    await rm(path.join(runsDir, entry), { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}
