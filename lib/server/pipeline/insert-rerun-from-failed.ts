import type { TPipelineRun } from '@/lib/domain/pipeline/spec-schemas';
import type { TFrozenRunSpec } from '@/lib/domain/pipeline/stored-schemas';
import { concurrencyGroupOfRun } from './concurrency-group-of-run';
import { insertStartedRun } from './create-pipeline-run';
import { insertQueuedRun } from './insert-queued-run';
import type { PipelineRunRow, PipelineUnit } from './ports';
import { latestInProject } from './stored-definitions';

/**
 * Stores a rerun from failed with the specs planRerunFromFailed froze. Like any run of its Pipeline it joins the
 * Pipeline's concurrency group (the newest version's annotations: the group is a policy, not part of the spec)
 * and then waits Queued or starts (insert-queued-run.ts); otherwise it starts at once.
 */
export async function insertRerunFromFailed(
  tx: Pick<PipelineUnit, 'runs' | 'jobs' | 'definitions'>,
  doc: TPipelineRun,
  earlier: Pick<PipelineRunRow, 'pipelineName' | 'pipelineVersion' | 'project'>,
  frozen: TFrozenRunSpec,
  createdBy: string,
  now: Date,
): Promise<{ id: string; name: string }> {
  const name = doc.metadata.name ?? '';
  const { pipelineName, pipelineVersion, project } = earlier;
  const columns = { name, project, pipelineName, pipelineVersion, frozen };
  const stored = pipelineName
    ? (await latestInProject(tx.definitions, 'Pipeline', [pipelineName], project)).found.get(pipelineName)
    : undefined;
  const pipeline = { name: pipelineName, metadata: stored?.document.metadata, spec: frozen.pipelineSpec };
  const concurrency = concurrencyGroupOfRun(doc, pipeline, { name, project }, 'spec');
  if (concurrency) return insertQueuedRun(tx, columns, concurrency, createdBy, now);
  return insertStartedRun(tx, columns, createdBy, now);
}
