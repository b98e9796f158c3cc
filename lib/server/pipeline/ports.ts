import type { Db } from '@/lib/adapters/db/client';
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
