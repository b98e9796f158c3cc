import type { AuditTrail } from '../audit';

/** Rows past their time, deleted by housekeeping; each method answers how many it deleted. */
export interface ExpiredRecordStore {
  /** Browser sessions that expired before `now`. */
  deleteSessions(now: Date): Promise<number>;
  /** API tokens that expired, or were revoked, before `cutoff`. */
  deleteTokens(cutoff: Date): Promise<number>;
  /** Login counters whose window started before `cutoff`. */
  deleteRateWindows(cutoff: Date): Promise<number>;
  /** Trigger deliveries received before `cutoff`. */
  deleteDeliveries(cutoff: Date): Promise<number>;
}

/** A finished run housekeeping may delete, with the names its folders on disk carry. */
export interface ExpiredRun {
  id: string;
  /** The folders (run-folders.ts) of the PipelineRun (or standalone TaskRun), its child runs and all their TaskRuns. */
  folderNames: string[];
}

/** Logs and runs past KEELSON_LOG_RETENTION_DAYS and KEELSON_RUN_RETENTION; every method works on one batch. */
export interface RetentionStore {
  /** Up to `limit` TaskRuns that finished before `cutoff` and still have their logs, oldest first. */
  finishedWithLogs(cutoff: Date, limit: number): Promise<string[]>;
  /** Deletes up to `limit` log chunks of these TaskRuns; answers how many. */
  deleteLogChunks(taskRunIds: readonly string[], limit: number): Promise<number>;
  /** Marks the TaskRuns' logs as removed by retention at `at`. */
  markLogsRemoved(taskRunIds: readonly string[], at: Date): Promise<void>;
  /**
   * Up to `limit` finished top-level PipelineRuns past the rules (beyond the newest `keep` of their pipeline, or
   * finished before `finishedBefore`) and standalone TaskRuns finished before `finishedBefore`; never one with a
   * TaskRun or child run still going.
   */
  expiredRuns(rules: { keep?: number; finishedBefore?: Date }, limit: number): Promise<ExpiredRun[]>;
  /** The TaskRuns of these runs (PipelineRuns with their child runs, or standalone TaskRuns), for batched log deletes. */
  taskRunIdsOf(runIds: readonly string[]): Promise<string[]>;
  /** Deletes the runs; their TaskRuns and what is left of their logs go with them. Answers how many. */
  deleteRuns(runIds: readonly string[]): Promise<number>;
}

/** Removes the folders of deleted runs on this machine (run folders under the data dir); answers what it removed. */
export type RunFolderRemover = (folders: readonly string[]) => Promise<string[]>;

/** What housekeeping needs: the expired rows, the retention store, the audit log and the clock. */
export interface HousekeepingDeps {
  expired: ExpiredRecordStore;
  retention: RetentionStore;
  audit: AuditTrail;
  now: () => Date;
}
