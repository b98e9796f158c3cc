import type { Db } from '@/lib/adapters/db/client';
import type { TaskRunRow } from '@/lib/adapters/db/schema';
import type { TTaskRunStatus } from '@/lib/domain/pipeline/stored-schemas';
import type { LogLine } from '@/lib/domain/pipeline/task-run-plan';
import type { TaskRunStateName } from '@/lib/domain/pipeline/task-run-states';
import type { Deps } from '../deps';

/**
 * The job queue the pipeline use cases hand work to. Each send takes the transaction of the change that
 * causes it: the job exists only if that transaction commits. `key` makes a send idempotent: the same key
 * sent again (a retried request) queues nothing new.
 */
export interface PipelineJobs {
  /** Asks a worker to reconcile the PipelineRun (decide what it does next). */
  reconcileRun(tx: Db, runId: string, key: string): Promise<void>;
  /** Asks a worker to run a pending standalone TaskRun. */
  executeTaskRun(tx: Db, taskRunId: string, key: string): Promise<void>;
}

/** What the use cases that start or change runs need: the database, the clock and the job queue. */
export interface RunControlDeps extends Deps {
  jobs: PipelineJobs;
}

/** Idempotency keys of the jobs the use cases send, one per run and action. */
export const jobKeys = {
  started: (runId: string) => `started:${runId}`,
  cancelled: (runId: string, mode: string) => `cancelled:${runId}:${mode}`,
};

export interface TaskRunCompletion {
  state: Extract<TaskRunStateName, 'succeeded' | 'failed' | 'cancelled'>;
  status: TTaskRunStatus;
}

/** What a finished TaskRun's caller needs: which PipelineRun to move on. */
export type CompletedTaskRun = Pick<TaskRunRow, 'id' | 'name' | 'pipelineRunId' | 'state'>;

/** The TaskRuns the engine and its executors work on: leases, outcomes, logs, and what the tick looks for. */
export interface TaskRunStore {
  /**
   * Claims pending TaskRuns for one worker, in one statement (a fan-out's). Idempotent: the same job delivered
   * twice, or two workers racing, leave exactly one owner; returns the rows this owner got.
   */
  claim(ids: readonly string[], owner: string, leaseMs: number): Promise<TaskRunRow[]>;
  /** Extends the lease while the owner still holds it; reports whether a cancel was requested meanwhile. */
  renewLease(id: string, owner: string, leaseMs: number): Promise<{ held: boolean; cancelRequested: string | null }>;
  /**
   * Records the outcome, only if this worker still owns the run (a reaped lease loses the race) and the
   * transition table allows the move (compare-and-set on the states it may come from).
   */
  complete(id: string, owner: string, done: TaskRunCompletion): Promise<CompletedTaskRun | undefined>;
  /**
   * Fails the TaskRuns whose worker stopped renewing (it died, or its machine did) with a clear reason, so no
   * run stays Running forever; the pipeline's retries then apply as to any other failure.
   */
  reapExpired(): Promise<TaskRunRow[]>;
  /** Ids of TaskRuns still pending that were created before `before` (their dispatcher may have died). */
  pendingCreatedBefore(before: Date): Promise<string[]>;
  /** Ids of unfinished PipelineRuns created before `before`. */
  openRunsCreatedBefore(before: Date): Promise<string[]>;
  /** Appends a batch of log lines as one chunk per step, keeping their order. */
  appendLogs(taskRunId: string, lines: LogLine[]): Promise<void>;
}
