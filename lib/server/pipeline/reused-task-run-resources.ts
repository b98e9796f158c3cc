import { REUSED_REASON, reusedMessage } from '@/lib/domain/pipeline/rerun-from-failed';
import type { TFrozenRunSpec } from '@/lib/domain/pipeline/stored-schemas';

/** What a rerun shows of where it came from: annotations, and in its status the tasks it reused. */
export function rerunFields(frozen: TFrozenRunSpec) {
  const rerun = frozen.rerun;
  if (!rerun) return { annotations: {}, status: {} };
  return {
    annotations: {
      'keelson.dev/rerun-of': rerun.of,
      ...(rerun.fromFailed ? { 'keelson.dev/from-failed': 'true' } : {}),
    },
    status: {
      rerunOf: rerun.of,
      fromFailed: rerun.fromFailed,
      reusedTasks: rerun.reused.map((r) => ({
        pipelineTaskName: r.task,
        ...(r.matrixIndex !== undefined ? { matrixIndex: r.matrixIndex } : {}),
        taskRunName: r.taskRunName,
        pipelineRun: r.fromRun,
        reason: REUSED_REASON,
        message: reusedMessage(r.fromRun),
      })),
    },
  };
}

/**
 * The TaskRuns a rerun from failed reused, for the run page beside its own: each as it ended in the run that ran
 * it (steps, results, times), with a Succeeded condition of reason Reused, labelled `keelson.dev/reused-from`.
 */
export function reusedTaskRunResources(frozen: TFrozenRunSpec, project: string, createdAt: Date) {
  return (frozen.rerun?.reused ?? []).map((r) => ({
    apiVersion: 'tekton.dev/v1',
    kind: 'TaskRun',
    metadata: {
      name: r.taskRunName,
      namespace: project,
      labels: {
        'tekton.dev/pipelineRun': r.fromRun,
        'tekton.dev/pipelineTask': r.task,
        'keelson.dev/reused-from': r.fromRun,
        ...(r.matrixIndex !== undefined ? { 'keelson.dev/matrix-index': String(r.matrixIndex) } : {}),
      },
    },
    spec: { steps: r.status.steps.map((s) => ({ name: s.name, image: r.images?.[s.name] })) },
    status: {
      ...r.status,
      conditions: [
        {
          type: 'Succeeded',
          status: 'True',
          reason: REUSED_REASON,
          message: reusedMessage(r.fromRun),
          lastTransitionTime: createdAt.toISOString(),
        },
      ],
      retryCount: r.attempt,
      keelsonState: 'succeeded',
    },
  }));
}
