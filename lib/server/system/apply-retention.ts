import type { RunRetention } from '@/lib/domain/pipeline/run-retention';
import type { RetentionStore, RunFolderRemover } from './ports';

/** Rows per statement: a busy install has millions of log chunks, and one huge delete would hold locks for minutes. */
export const RETENTION_BATCH = { taskRuns: 500, chunks: 10_000, runs: 200 };

export interface RetentionOptions {
  /** Days a finished TaskRun keeps its logs; 0 keeps them as long as the run. */
  logRetentionDays: number;
  run: RunRetention;
  /** Removes deleted runs' folders on this machine; without it each worker's folder sweep does. */
  removeFolders?: RunFolderRemover;
}

export interface RetentionResult {
  /** TaskRuns whose logs were removed, and how many log chunks went. */
  logsRemoved: number;
  logChunks: number;
  runsDeleted: number;
  folders: number;
}

async function deleteChunksOf(store: RetentionStore, taskRunIds: readonly string[]): Promise<number> {
  let total = 0;
  for (let n = RETENTION_BATCH.chunks; n === RETENTION_BATCH.chunks; total += n)
    n = await store.deleteLogChunks(taskRunIds, RETENTION_BATCH.chunks);
  return total;
}

/** Deletes logs past KEELSON_LOG_RETENTION_DAYS and runs past KEELSON_RUN_RETENTION, in batches. */
export async function applyRetention(store: RetentionStore, now: Date, o: RetentionOptions): Promise<RetentionResult> {
  const result: RetentionResult = { logsRemoved: 0, logChunks: 0, runsDeleted: 0, folders: 0 };
  if (o.logRetentionDays > 0) {
    const cutoff = new Date(now.getTime() - o.logRetentionDays * 86_400_000);
    for (;;) {
      const ids = await store.finishedWithLogs(cutoff, RETENTION_BATCH.taskRuns);
      result.logChunks += await deleteChunksOf(store, ids);
      await store.markLogsRemoved(ids, now);
      result.logsRemoved += ids.length;
      if (ids.length < RETENTION_BATCH.taskRuns) break;
    }
  }
  const rules = {
    keep: o.run.keep,
    finishedBefore: o.run.maxAgeMs !== undefined ? new Date(now.getTime() - o.run.maxAgeMs) : undefined,
  };
  for (;;) {
    const runs = await store.expiredRuns(rules, RETENTION_BATCH.runs);
    const ids = runs.map((r) => r.id);
    result.logChunks += await deleteChunksOf(store, await store.taskRunIdsOf(ids));
    result.runsDeleted += await store.deleteRuns(ids);
    if (o.removeFolders) result.folders += (await o.removeFolders(runs.flatMap((r) => r.folderNames))).length;
    if (runs.length < RETENTION_BATCH.runs) break;
  }
  return result;
}
