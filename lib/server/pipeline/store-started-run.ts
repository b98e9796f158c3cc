import type { Db } from '@/lib/adapters/db/client';
import type { TPipelineRun } from '@/lib/domain/pipeline/spec-schemas';
import { recordAudit } from '../audit';
import type { Principal } from '../principal';
import { createPipelineRun } from './create-pipeline-run';
import { jobKeys, type RunControlDeps } from './ports';

/**
 * In the caller's transaction: stores a PipelineRun started by a person (or a trigger), its audit row and
 * its first reconcile job, so the three commit together.
 */
export async function storeStartedRun(
  deps: RunControlDeps,
  tx: Db,
  principal: Principal,
  doc: TPipelineRun,
  audit: { action: string; details: Record<string, unknown> },
): Promise<{ id: string; name: string }> {
  const created = await createPipelineRun(tx, doc, principal.username, deps.now());
  await recordAudit(
    { db: tx, now: deps.now },
    {
      actor: principal.username,
      action: audit.action,
      target: `pipelinerun/${created.name}`,
      result: 'success',
      details: audit.details,
    },
  );
  await deps.jobs.reconcileRun(tx, created.id, jobKeys.started(created.id));
  return created;
}
