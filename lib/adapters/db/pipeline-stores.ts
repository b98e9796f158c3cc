/**
 * The pipeline stores on one database (Drizzle), and their unit of work: `transaction` opens one database
 * transaction and hands out the same stores bound to it, with the audit log and the job queue on it too.
 */
import { sql } from 'drizzle-orm';
import type { PipelineJobs, PipelineRecords, PipelineStores } from '@/lib/server/pipeline/ports';
import type { Db, DbOrTx } from './client';
import { createCompanionStore } from './companion-store';
import { createDefinitionStore } from './definition-store';
import { createPipelineRunStore } from './pipeline-run-store';
import { createRepositoryStore } from './repository-store';
import { createAuditTrail } from './audit-trail';
import { createTaskRunStore } from './task-run-store';
import { createTriggerDeliveryStore } from './trigger-delivery-store';

/** A job queue whose sends take the transaction they belong to (pg-boss with its `db` option). */
export interface TransactionJobs {
  reconcileRun(tx: DbOrTx, runId: string, key: string): Promise<void>;
  executeTaskRun(tx: DbOrTx, taskRunId: string, key: string): Promise<void>;
}

const NO_JOBS: TransactionJobs = {
  reconcileRun: () => Promise.reject(new Error('no job queue was wired into these pipeline stores')),
  executeTaskRun: () => Promise.reject(new Error('no job queue was wired into these pipeline stores')),
};

function records(db: DbOrTx, now: () => Date): PipelineRecords {
  return {
    runs: createPipelineRunStore(db),
    taskRuns: createTaskRunStore(db, now),
    definitions: createDefinitionStore(db),
    companions: createCompanionStore(db),
    deliveries: createTriggerDeliveryStore(db),
    repositories: createRepositoryStore(db),
  };
}

/** The pipeline stores; `jobs` is the queue their transactions send to (none: a send fails). */
export function createPipelineStores(db: Db, now: () => Date, jobs: TransactionJobs = NO_JOBS): PipelineStores {
  return {
    ...records(db, now),
    transaction: (work, options = {}) =>
      db.transaction(async (tx) => {
        if (options.asyncCommit) await tx.execute(sql`set local synchronous_commit = off`);
        const bound: PipelineJobs = {
          reconcileRun: (runId, key) => jobs.reconcileRun(tx, runId, key),
          executeTaskRun: (taskRunId, key) => jobs.executeTaskRun(tx, taskRunId, key),
        };
        return work({
          ...records(tx, now),
          audit: createAuditTrail(tx, now),
          jobs: bound,
        });
      }),
  };
}
