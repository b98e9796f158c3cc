import type { Db } from '@/lib/adapters/db/client';
import type { StartedRun } from './apply-documents';
import { jobKeys, type PipelineJobs } from './ports';

/**
 * Hands a new run to the workers in the transaction that created it: a PipelineRun to be reconciled, a
 * standalone TaskRun to be executed. Keyed by the run, so a retried transaction queues it once.
 */
export async function dispatchRun(jobs: PipelineJobs, tx: Db, run: StartedRun): Promise<void> {
  if (run.kind === 'PipelineRun') await jobs.reconcileRun(tx, run.id, jobKeys.started(run.id));
  else await jobs.executeTaskRun(tx, run.id, jobKeys.started(run.id));
}
