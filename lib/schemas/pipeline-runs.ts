import { PipelineRunReason, TaskRunReason } from '@/lib/domain/pipeline/reasons';
import { z } from 'zod';

/** Shapes the UI reads from the pipelines API; loose so Tekton fields we don't show pass through. */
export const ZRunSummary = z.object({
  name: z.string(),
  /** The run's project (Tekton: its namespace). */
  project: z.string(),
  pipeline: z.string().nullable(),
  status: z.string(),
  reason: z.string().nullable(),
  /** The condition's message: a Queued run's says what it waits for (concurrency groups). */
  message: z.string().nullable().optional(),
  /** A child PipelineRun's parent run (Pipelines in Pipelines). */
  parentRun: z.string().nullable().optional(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
});
export type TRunSummary = z.infer<typeof ZRunSummary>;

export const ZRunPage = z.object({
  total: z.number(),
  page: z.number(),
  limit: z.number(),
  items: z.array(ZRunSummary),
});
export type TRunPage = z.infer<typeof ZRunPage>;

const ZCondition = z.looseObject({
  status: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
const ZNamedValue = z.looseObject({ name: z.string(), value: z.unknown() });

export const ZStepState = z.looseObject({
  name: z.string(),
  running: z.looseObject({ startedAt: z.string().nullish() }).nullish(),
  terminated: z
    .looseObject({
      exitCode: z.number().nullish(),
      reason: z.string().nullish(),
      message: z.string().nullish(),
      startedAt: z.string().nullish(),
      finishedAt: z.string().nullish(),
    })
    .nullish(),
});
export type TStepState = z.infer<typeof ZStepState>;

export const ZTaskRun = z.looseObject({
  metadata: z.looseObject({
    name: z.string(),
    labels: z.record(z.string(), z.string()).optional(),
    /** `keelson.dev/executor`: the executor that ran it (local | kubernetes), once claimed. */
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.looseObject({
    steps: z
      .array(z.looseObject({ name: z.string(), displayName: z.string().nullish(), image: z.string().nullish() }))
      .optional(),
  }),
  status: z.looseObject({
    conditions: z.array(ZCondition).optional(),
    steps: z.array(ZStepState).optional(),
    results: z.array(ZNamedValue).optional(),
    startTime: z.string().nullish(),
    completionTime: z.string().nullish(),
    retryCount: z.number().nullish(),
    keelsonState: z.string().nullish(),
    sandbox: z.string().nullish(),
    /** The pod that runs or ran it (Kubernetes executor); empty for the local executor. */
    podName: z.string().nullish(),
  }),
});
export type TTaskRun = z.infer<typeof ZTaskRun>;

export const ZChildPipelineRun = z.looseObject({
  name: z.string(),
  pipelineTaskName: z.string().nullish(),
  pipeline: z.string().nullish(),
  conditionStatus: z.string(),
  conditionReason: z.string(),
  startTime: z.string().nullish(),
  completionTime: z.string().nullish(),
});
export type TChildPipelineRun = z.infer<typeof ZChildPipelineRun>;

export const ZPipelineRun = z.looseObject({
  metadata: z.looseObject({
    name: z.string(),
    namespace: z.string().optional(),
    creationTimestamp: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z
    .looseObject({
      params: z.array(ZNamedValue).optional(),
      workspaces: z.array(z.looseObject({ name: z.string() })).optional(),
    })
    .nullish(),
  status: z.looseObject({
    conditions: z.array(ZCondition).optional(),
    startTime: z.string().nullish(),
    completionTime: z.string().nullish(),
    skippedTasks: z.array(z.looseObject({ name: z.string(), reason: z.string().optional() })).optional(),
    results: z.array(ZNamedValue).optional(),
    pipelineSpec: z.unknown().optional(),
  }),
  taskRuns: z.array(ZTaskRun).default([]),
  /** Pipelines in Pipelines: the child PipelineRuns of its pipeline tasks (child-pipeline-run-summary.ts). */
  childPipelineRuns: z.array(ZChildPipelineRun).default([]),
  /** The RBAC object its cancel and delete are asked on (`<project>/<root run>`; a child run is part of its root). */
  authorizedAs: z.string().optional(),
});
export type TPipelineRun = z.infer<typeof ZPipelineRun>;

/** A run is finished once its Succeeded condition is True or False. */
export function isRunFinished(run: TPipelineRun): boolean {
  const c = run.status.conditions?.[0]?.status;
  return c === 'True' || c === 'False';
}

/** What a run list shows: the reason when there is one (Succeeded, Failed, Cancelled…). */
export function runLabel(r: { status: string; reason: string | null }): string {
  if (r.status === 'Unknown')
    return r.reason === PipelineRunReason.Stopping ||
      r.reason === TaskRunReason.Pending ||
      r.reason === PipelineRunReason.Queued
      ? r.reason
      : PipelineRunReason.Running;
  return r.reason || r.status;
}
