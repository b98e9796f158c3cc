import type { StartedRun } from './apply-documents';
import { jobKeys, type PipelineJobs } from './ports';

/**
 * Hands a new run to the workers in the transaction that created it (`jobs` is bound to it): a PipelineRun
 * to be reconciled, a standalone TaskRun to be executed. Keyed by the run, so a retried transaction queues it once.
 */
export async function dispatchRun(jobs: PipelineJobs, run: StartedRun): Promise<void> {
  if (run.kind === 'PipelineRun') await jobs.reconcileRun(run.id, jobKeys.started(run.id));
  else await jobs.executeTaskRun(run.id, jobKeys.started(run.id));
}
