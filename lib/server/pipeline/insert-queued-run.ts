import { queuedMessage, queuedStatus, type ConcurrencyGroup } from '@/lib/domain/pipeline/concurrency';
import type { ConcurrencySettings } from '@/lib/domain/pipeline/concurrency';
import { PipelineRunReason } from '@/lib/domain/pipeline/reasons';
import type { insertStartedRun } from './create-pipeline-run';
import type { PipelineUnit } from './ports';

/**
 * Stores a run of a concurrency group as Queued (no startTime), taking no lock: the transaction that creates it
 * settles its groups once all its runs are written (settleNewRuns, which takes their locks in a fixed order, so
 * two applies creating runs of the same groups in different orders cannot deadlock); a child PipelineRun is
 * settled by its own first reconcile. Until then it waits for "a free slot".
 */
export async function insertQueuedRun(
  tx: Pick<PipelineUnit, 'runs'>,
  run: Parameters<typeof insertStartedRun>[1],
  concurrency: { settings: ConcurrencySettings; group: ConcurrencyGroup },
  createdBy: string,
  now: Date,
): Promise<{ id: string; name: string }> {
  const { frozen, ...columns } = run;
  const { id: group, label } = concurrency.group;
  return tx.runs.insert({
    ...columns,
    spec: frozen,
    status: queuedStatus(queuedMessage([], [], label, concurrency.settings.limit), now),
    conditionStatus: 'Unknown',
    conditionReason: PipelineRunReason.Queued,
    createdBy,
    createdAt: now,
    startedAt: null,
    concurrencyGroup: group,
    concurrencyLimit: concurrency.settings.limit,
    concurrencyStrategy: concurrency.settings.strategy,
  });
}
