import type { PipelineRunRow, TaskRunRow } from '@/lib/adapters/db/schema';
import type { FrozenRunSpec } from './start-pipeline-run';

/** A stored PipelineRun as Tekton's API would return it (tekton.dev/v1 field names). */
export function pipelineRunResource(row: PipelineRunRow) {
  const frozen = row.spec as unknown as FrozenRunSpec;
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: {
      name: row.name,
      uid: row.id,
      namespace: 'default',
      creationTimestamp: row.createdAt.toISOString(),
      labels: row.pipelineName ? { 'tekton.dev/pipeline': row.pipelineName } : {},
      annotations: {
        'keelson.dev/created-by': row.createdBy,
        ...(row.pipelineVersion ? { 'keelson.dev/pipeline-version': String(row.pipelineVersion) } : {}),
      },
    },
    spec: frozen.run,
    status: { ...row.status, pipelineSpec: frozen.pipelineSpec },
  };
}

/** A stored TaskRun as Tekton's API would return it. */
export function taskRunResource(row: TaskRunRow, pipelineRunName?: string) {
  const plan = row.plan as { steps?: { name: string; image?: string }[]; sandbox?: string };
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'TaskRun',
    metadata: {
      name: row.name,
      uid: row.id,
      namespace: 'default',
      creationTimestamp: row.createdAt.toISOString(),
      labels: {
        ...(pipelineRunName ? { 'tekton.dev/pipelineRun': pipelineRunName } : {}),
        ...(row.pipelineTask && pipelineRunName ? { 'tekton.dev/pipelineTask': row.pipelineTask } : {}),
        ...(row.matrixIndex !== null ? { 'keelson.dev/matrix-index': String(row.matrixIndex) } : {}),
      },
    },
    spec: { steps: (plan.steps ?? []).map((s) => ({ name: s.name, image: s.image })) },
    status: {
      ...row.status,
      startTime: row.startedAt?.toISOString(),
      retryCount: row.attempt,
      keelsonState: row.state,
    },
  };
}
