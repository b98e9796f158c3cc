import type { Decision } from '@/lib/domain/pipeline/decide';
import { PipelineRunReason } from '@/lib/domain/pipeline/reasons';
import type { TFrozenRunSpec } from '@/lib/domain/pipeline/stored-schemas';
import type { PipelineRunRow, PipelineUnit } from './ports';
import { settleConcurrencyGroup } from './settle-concurrency-group';

/**
 * What a reconcile does with a run of a concurrency group (its group's lock held, then its row's): `run` when it
 * has started; a queued run settles its group first (the tick's safety net for a lost admission) and then
 * `waits`, is `admitted` (decide in a fresh pass) or, asked to cancel or stop while queued, is `cancelled`:
 * it ends Cancelled without running anything, finally tasks included (it never started).
 */
export async function queuedRunGate(
  tx: Pick<PipelineUnit, 'runs' | 'jobs' | 'audit'>,
  group: string,
  run: Pick<PipelineRunRow, 'id' | 'startedAt'>,
  frozen: TFrozenRunSpec,
  now: Date,
): Promise<'run' | 'wait' | 'admitted' | 'cancelled'> {
  if (run.startedAt) return 'run';
  if (frozen.run.status && frozen.run.status !== 'PipelineRunPending') return 'cancelled';
  const { admitted } = await settleConcurrencyGroup(tx, group, now);
  return admitted.includes(run.id) ? 'admitted' : 'wait';
}

/** A run its group cancelled (cancel-in-progress) ends with the message that names the newer run (sets it in `decision`). */
export function withGroupCancelMessage(decision: Decision, message: string | undefined): void {
  if (!message || !decision.finish || decision.condition.reason !== PipelineRunReason.Cancelled) return;
  decision.condition = { ...decision.condition, message };
  decision.finish = { ...decision.finish, message };
}
