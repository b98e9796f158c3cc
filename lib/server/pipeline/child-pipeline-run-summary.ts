import type { TFrozenRunSpec } from '@/lib/domain/pipeline/stored-schemas';
import type { PipelineRunRow } from './ports';

/** A child PipelineRun as its parent's run page lists it: enough to mark its task's node and link to it. */
export function childPipelineRunSummary(row: PipelineRunRow) {
  return {
    name: row.name,
    pipelineTaskName: row.parentTask,
    pipeline: row.pipelineName,
    conditionStatus: row.conditionStatus,
    conditionReason: row.conditionReason,
    startTime: row.startedAt?.toISOString() ?? null,
    completionTime: row.completedAt?.toISOString() ?? null,
  };
}

/**
 * What a child PipelineRun shows of its parent (Tekton: an ownerReference to the parent PipelineRun, and
 * the pipeline task as a label), or nothing for a top-level run.
 */
export function parentRunMetadata({ childOf }: TFrozenRunSpec) {
  if (!childOf) return {};
  return {
    parentLabels: { 'tekton.dev/pipelineTask': childOf.task, 'keelson.dev/parent-pipelinerun': childOf.runName },
    ownerReferences: [
      { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: childOf.runName, uid: childOf.runId, controller: true },
    ],
  };
}
