import type { PipelineRunRow, TaskRunRow } from './ports';
import { shownCondition } from '@/lib/domain/pipeline/succeeded-condition';
import { TASK_RUN_CONDITION_STATUS } from '@/lib/domain/pipeline/task-run-states';
import { EXECUTOR_ANNOTATION } from '@/lib/domain/pipeline/executor-choice';
import { LOGS_REMOVED_ANNOTATION } from '@/lib/domain/pipeline/run-retention';
import { rerunFields } from './reused-task-run-resources';
import { parentRunMetadata } from './child-pipeline-run-summary';
import { ZFrozenRunSpec, ZPipelineRunStatus, ZStoredPlan, ZTaskRunStatus } from '@/lib/domain/pipeline/stored-schemas';

/** The head every stored run shows as a Tekton object: its kind and metadata (with `meta` added). */
const tektonObject = <M extends object>(
  kind: 'PipelineRun' | 'TaskRun',
  row: { name: string; id: string; project: string; createdAt: Date },
  meta: M,
) => ({
  apiVersion: 'tekton.dev/v1',
  kind,
  metadata: {
    name: row.name,
    uid: row.id,
    // Tekton's namespace is Keelson's project.
    namespace: row.project,
    creationTimestamp: row.createdAt.toISOString(),
    ...meta,
  },
});

/** A stored PipelineRun as Tekton's API would return it (tekton.dev/v1 field names). */
export function pipelineRunResource(row: PipelineRunRow) {
  const frozen = ZFrozenRunSpec.parse(row.spec);
  const rerun = rerunFields(frozen);
  const { parentLabels, ownerReferences } = parentRunMetadata(frozen);
  return {
    ...tektonObject('PipelineRun', row, {
      labels: { ...(row.pipelineName ? { 'tekton.dev/pipeline': row.pipelineName } : {}), ...parentLabels },
      ...(ownerReferences ? { ownerReferences } : {}),
      annotations: {
        'keelson.dev/created-by': row.createdBy,
        ...(row.pipelineVersion ? { 'keelson.dev/pipeline-version': String(row.pipelineVersion) } : {}),
        ...rerun.annotations,
      },
    }),
    spec: frozen.run,
    // The condition's status and reason come from the columns, the run's state (see succeeded-condition.ts).
    status: {
      ...shownCondition(ZPipelineRunStatus.parse(row.status), {
        status: row.conditionStatus,
        reason: row.conditionReason,
      }),
      pipelineSpec: frozen.pipelineSpec,
      ...rerun.status,
    },
  };
}

/** A stored TaskRun as Tekton's API would return it. */
export function taskRunResource(row: TaskRunRow, pipelineRunName?: string) {
  const plan = ZStoredPlan.parse(row.plan);
  return {
    ...tektonObject('TaskRun', row, {
      // An embedded taskSpec's and the run's taskRunSpecs' labels and annotations; Tekton's own labels win.
      labels: {
        ...plan.metadata?.labels,
        ...(pipelineRunName ? { 'tekton.dev/pipelineRun': pipelineRunName } : {}),
        ...(row.pipelineTask && pipelineRunName ? { 'tekton.dev/pipelineTask': row.pipelineTask } : {}),
        ...(row.matrixIndex !== null ? { 'keelson.dev/matrix-index': String(row.matrixIndex) } : {}),
      },
      // The executor that claimed it wins over the one its annotation asked for (the request stays until then).
      // Housekeeping deleted its logs (KEELSON_LOG_RETENTION_DAYS): the run page says so instead of an empty log.
      ...(plan.metadata?.annotations || row.executor || row.logsRemovedAt
        ? {
            annotations: {
              ...plan.metadata?.annotations,
              ...(row.executor ? { [EXECUTOR_ANNOTATION]: row.executor } : {}),
              ...(row.logsRemovedAt ? { [LOGS_REMOVED_ANNOTATION]: row.logsRemovedAt.toISOString() } : {}),
            },
          }
        : {}),
    }),
    spec: {
      steps: plan.steps.map((s) => ({
        name: s.name,
        ...(s.displayName ? { displayName: s.displayName } : {}),
        image: s.image,
      })),
    },
    status: {
      // The condition's status comes from the state column (see succeeded-condition.ts).
      ...shownCondition(ZTaskRunStatus.parse(row.status), { status: TASK_RUN_CONDITION_STATUS[row.state] }),
      startTime: row.startedAt?.toISOString(),
      retryCount: row.attempt,
      keelsonState: row.state,
    },
  };
}
