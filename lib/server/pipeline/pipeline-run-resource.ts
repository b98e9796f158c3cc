import type { PipelineRunRow, TaskRunRow } from '@/lib/adapters/db/schema';
import { shownCondition } from '@/lib/domain/pipeline/succeeded-condition';
import { TASK_RUN_CONDITION_STATUS } from '@/lib/domain/pipeline/task-run-states';
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
    // The condition's status and reason come from the columns, the run's state (see succeeded-condition.ts).
    status: {
      ...shownCondition(row.status, { status: row.conditionStatus, reason: row.conditionReason }),
      pipelineSpec: frozen.pipelineSpec,
    },
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
      // The condition's status comes from the state column (see succeeded-condition.ts).
      ...shownCondition(row.status, { status: TASK_RUN_CONDITION_STATUS[row.state] }),
      startTime: row.startedAt?.toISOString(),
      retryCount: row.attempt,
      keelsonState: row.state,
    },
  };
}
