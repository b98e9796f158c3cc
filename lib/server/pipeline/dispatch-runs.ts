import { QUEUES, type Boss } from '@/lib/adapters/queue/boss';
import type { StartedRun } from './apply-documents';

/** Hands new runs to the workers: PipelineRuns to be reconciled, standalone TaskRuns to be executed. */
export async function dispatchRuns(boss: Boss, runs: StartedRun[]): Promise<void> {
  for (const run of runs) {
    if (run.kind === 'PipelineRun') await boss.send(QUEUES.reconcilePipelineRun, { runId: run.id });
    else await boss.send(QUEUES.executeTaskRun, { taskRunId: run.id });
  }
}
