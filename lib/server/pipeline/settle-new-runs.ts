import type { AuditPrincipal } from '../audit/audit-via';
import type { PipelineUnit } from './ports';
import { settleConcurrencyGroup } from './settle-concurrency-group';

/**
 * After a transaction has written its new runs (an apply, a start, a trigger, a rerun): takes the locks of their
 * concurrency groups all at once, in a fixed order (runs.lockGroupsOf), then settles each group, so a run with a
 * free slot starts in the transaction that creates it. Taking them one by one as each run was written let two
 * applies creating runs of groups G1, G2 and G2, G1 deadlock (Postgres then failed one of them).
 */
export async function settleNewRuns(
  tx: Pick<PipelineUnit, 'runs' | 'jobs' | 'audit'>,
  runIds: readonly string[],
  now: Date,
  /** Who started them: the audit rows of the runs they cancel (cancel-in-progress) name them. */
  by: AuditPrincipal,
): Promise<void> {
  for (const group of await tx.runs.lockGroupsOf(runIds)) await settleConcurrencyGroup(tx, group, now, by);
}
