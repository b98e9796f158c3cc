import { queuedMessage, queuedStatus, type ConcurrencyGroup } from '@/lib/domain/pipeline/concurrency';
import type { ConcurrencySettings } from '@/lib/domain/pipeline/concurrency';
import { PipelineRunReason } from '@/lib/domain/pipeline/reasons';
import type { insertStartedRun } from './create-pipeline-run';
import type { PipelineUnit } from './ports';
import { settleConcurrencyGroup } from './settle-concurrency-group';

/**
 * Stores a run of a concurrency group as Queued (no startTime) under the group's lock, then settles the group in
 * the same transaction: the run starts at once when a slot is free (or, cancel-in-progress, older runs are
 * cancelled for it), else it waits and its message says for what. Two runs created at the same moment by
 * different processes are admitted one after the other: the second waits for the first's lock and commit.
 */
export async function insertQueuedRun(
  tx: Pick<PipelineUnit, 'runs' | 'jobs'>,
  run: Parameters<typeof insertStartedRun>[1],
  concurrency: { settings: ConcurrencySettings; group: ConcurrencyGroup },
  createdBy: string,
  now: Date,
): Promise<{ id: string; name: string }> {
  const { frozen, ...columns } = run;
  const { id: group, label } = concurrency.group;
  await tx.runs.lockGroup(group);
  const created = await tx.runs.insert({
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
  await settleConcurrencyGroup(tx, group, now);
  return created;
}
