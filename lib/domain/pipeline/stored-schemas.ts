import { z } from 'zod';
import { ZChildOf } from './child-pipeline-run';
import { ZPipelineSpec } from './pipeline-schemas';
import { ZSkippedTask } from './reasons';
import { ZPipelineRunSpec, ZTaskRunMetadata } from './run-schemas';
import { ZTaskSpec } from './task-schemas';
import { ZSecretKeyRef, ZVolumeFilePlan, ZWorkspaceSource } from './workspace-source-schema';
import type { TPipeline, TStepAction, TTask } from './spec-schemas';
import type { TaskRunPlan } from './task-run-plan';
import type { TektonTaskRunStatus } from './task-run-status';

/**
 * The shapes Keelson stores in the jsonb columns of the pipeline tables. Readers parse with these at the
 * boundary (once per row loaded), so a row written by an older version, or by hand, fails loudly with the
 * path of the bad field instead of flowing on as a wrong type.
 */

/** What a stored PipelineRun keeps: the spec as given, plus the pipeline and task specs it started with. */
export const ZFrozenRunSpec = z.object({
  run: ZPipelineRunSpec,
  pipelineSpec: ZPipelineSpec,
  /** Task specs by pipeline task name, resolved when the run started. */
  taskSpecs: z.record(z.string(), ZTaskSpec),
  /** A child PipelineRun (Pipelines in Pipelines): its parent, nesting depth and shared folders. */
  childOf: ZChildOf.optional(),
  /** A rerun from failed: the run it repeats and the TaskRuns of it it reuses (rerun-from-failed.ts). */
  rerun: z.lazy(() => ZRerunRecord).optional(),
  /** Why its concurrency group cancelled it (cancel-in-progress): the message of its Cancelled condition. */
  concurrencyCancel: z.string().optional(),
  /** Its labels and annotations, its Pipeline's under them (as upstream propagates them): its pods carry them. */
  metadata: ZTaskRunMetadata.optional(),
  /** The labels and annotations of the Tasks its taskRefs name, by Task name. */
  taskMetadata: z.record(z.string(), ZTaskRunMetadata).optional(),
  /** The executor its `keelson.dev/executor` annotation (or its Pipeline's) asks for; its TaskRuns carry it. */
  executor: z.enum(['local', 'kubernetes']).optional(),
});
export type TFrozenRunSpec = z.infer<typeof ZFrozenRunSpec>;

const ZResultType = z.enum(['string', 'array', 'object']);

const ZK8sResources = z.object({
  limits: z.record(z.string(), z.string()).optional(),
  requests: z.record(z.string(), z.string()).optional(),
});
const ZObject = z.record(z.string(), z.unknown());

const ZStepPlan = z.object({
  name: z.string(),
  displayName: z.string().optional(),
  image: z.string().optional(),
  script: z.string().optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()),
  secretEnv: z.record(z.string(), ZSecretKeyRef).optional(),
  workingDir: z.string().optional(),
  timeoutMs: z.number().optional(),
  onError: z.enum(['continue', 'stopAndFail']),
  results: z.array(z.object({ name: z.string(), type: ZResultType })).optional(),
  volumeMounts: z
    .array(
      z.object({
        volume: z.string(),
        workspace: z.boolean().optional(),
        mountPath: z.string(),
        subPath: z.string().optional(),
        readOnly: z.boolean(),
      }),
    )
    .optional(),
  stdoutPath: z.string().optional(),
  stderrPath: z.string().optional(),
  workspaces: z.array(z.object({ name: z.string(), mountPath: z.string() })).optional(),
  when: z
    .array(z.object({ input: z.string(), operator: z.enum(['in', 'notin']), values: z.array(z.string()) }))
    .optional(),
  computeResources: ZK8sResources.optional(),
  securityContext: ZObject.optional(),
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
});

const ZVolumePlan = z.object({
  name: z.string(),
  kind: z.enum(['emptyDir', 'files', 'unsupported']),
  files: z.array(ZVolumeFilePlan).optional(),
  source: z.string().optional(),
  volumeSource: ZObject.optional(),
});

const ZWorkspacePlan = z.object({
  name: z.string(),
  mountPath: z.string(),
  hostPath: z.string(),
  root: z.string().optional(),
  readOnly: z.boolean(),
  isolated: z.boolean().optional(),
  source: ZWorkspaceSource.optional(),
  subPath: z.string().optional(),
});

/**
 * The resolved TaskRunPlan an executor runs, as stored on the TaskRun, with the declared result types and
 * step images the status needs. A TaskRun that failed to resolve stores only its name and no steps.
 */
export const ZStoredPlan = z.object({
  taskRunName: z.string(),
  steps: z.array(ZStepPlan),
  workspaces: z.array(ZWorkspacePlan).default([]),
  resultNames: z.array(z.string()).default([]),
  resultsFromSteps: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  timeoutMs: z.number().optional(),
  secretsToMask: z.array(z.string()).default([]),
  maskRefs: z.array(ZSecretKeyRef).optional(),
  volumes: z.array(ZVolumePlan).optional(),
  sidecars: z
    .array(
      z.object({
        name: z.string(),
        image: z.string().optional(),
        script: z.string().optional(),
        command: z.array(z.string()).optional(),
        args: z.array(z.string()).optional(),
        env: z.record(z.string(), z.string()).optional(),
        workingDir: z.string().optional(),
        volumeMounts: ZStepPlan.shape.volumeMounts,
        unsupported: z.string().optional(),
        container: ZObject.optional(),
      }),
    )
    .optional(),
  pod: z.object({ serviceAccountName: z.string().optional(), podTemplate: ZObject.optional() }).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  resultTypes: z.record(z.string(), ZResultType).optional(),
  images: z.record(z.string(), z.string().optional()).optional(),
  /** Labels and annotations the TaskRun carries (embedded taskSpec metadata, taskRunSpecs metadata). */
  metadata: ZTaskRunMetadata.optional(),
});
export type TStoredPlan = z.infer<typeof ZStoredPlan>;
/** What the database column holds: a plan as written (the failed-to-resolve one has defaults left out). */
export type TStoredPlanInput = z.input<typeof ZStoredPlan>;

const ZCondition = z.object({
  type: z.literal('Succeeded'),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string(),
  message: z.string(),
  lastTransitionTime: z.string(),
});

const ZTektonResult = z.object({ name: z.string(), type: ZResultType, value: z.unknown() });

const ZStepState = z.object({
  name: z.string(),
  container: z.string(),
  imageID: z.string().optional(),
  running: z.object({ startedAt: z.string() }).optional(),
  terminated: z
    .object({
      exitCode: z.number(),
      reason: z.string(),
      message: z.string().optional(),
      startedAt: z.string().nullable(),
      finishedAt: z.string().nullable(),
    })
    .optional(),
  results: z.array(ZTektonResult).optional(),
});

const taskRunStatusFields = {
  conditions: z.array(ZCondition),
  podName: z.string(),
  startTime: z.string().optional(),
  completionTime: z.string().optional(),
  steps: z.array(ZStepState),
  results: z.array(ZTektonResult),
  sandbox: z.enum(['bubblewrap', 'none', 'kubernetes']).optional(),
};
const ZAttemptStatus = z.object({ ...taskRunStatusFields, retriesStatus: z.array(z.unknown()).optional() });

/** A TaskRun's Tekton-shaped status, with the statuses of its earlier attempts. */
export const ZTaskRunStatus = z.object({
  ...taskRunStatusFields,
  retriesStatus: z.array(ZAttemptStatus).optional(),
});
export type TTaskRunStatus = z.infer<typeof ZTaskRunStatus>;

/** A TaskRun of an earlier run that a rerun from failed counts as succeeded instead of running its task again. */
export const ZReusedTaskRun = z.object({
  task: z.string(),
  matrixIndex: z.number().optional(),
  /** The TaskRun that ran the task, and the run it ran in (the first one, when reused again). */
  taskRunName: z.string(),
  fromRun: z.string(),
  attempt: z.number(),
  /** Its status as it ended: results, steps (with their results) and times. */
  status: ZTaskRunStatus,
  /** Its steps' recorded images, for the run page. */
  images: z.record(z.string(), z.string()).optional(),
});
export type TReusedTaskRun = z.infer<typeof ZReusedTaskRun>;

/** Where a rerun came from. */
export const ZRerunRecord = z.object({
  of: z.string(),
  fromFailed: z.boolean(),
  reused: z.array(ZReusedTaskRun),
});
export type TRerunRecord = z.infer<typeof ZRerunRecord>;

/** A PipelineRun's Tekton-shaped status (conditions, times, childReferences, skippedTasks, results). */
export const ZPipelineRunStatus = z.looseObject({
  conditions: z.array(ZCondition),
  startTime: z.string().optional(),
  completionTime: z.string().optional(),
  childReferences: z.array(z.looseObject({ name: z.string(), pipelineTaskName: z.string().nullable() })).optional(),
  skippedTasks: z.array(ZSkippedTask).optional(),
  results: z.array(z.looseObject({ name: z.string(), value: z.unknown() })).optional(),
});
export type TPipelineRunStatus = z.infer<typeof ZPipelineRunStatus>;

/** One stored log line. */
export const ZStoredLogLine = z.object({ at: z.string(), stream: z.enum(['stdout', 'stderr']), text: z.string() });
export type TStoredLogLine = z.infer<typeof ZStoredLogLine>;

// The schemas describe the domain's own types: a change to one that the other does not follow fails here.
export const storedPlanMatchesTaskRunPlan = (p: TStoredPlan): TaskRunPlan => p;
export const taskRunStatusMatchesTekton = (s: TektonTaskRunStatus): TTaskRunStatus => s;

/** A stored Task, Pipeline or StepAction document, as applied. */
export type TDefinitionDocument = TTask | TPipeline | TStepAction;

/** A ConfigMap's data, a Secret's sealed values, or a PersistentVolumeClaim's or Trigger's spec. */
export const ZConfigMapData = z.object({
  data: z.record(z.string(), z.string()),
  /** binaryData, base64 without line breaks; absent on ConfigMaps stored before it was kept. */
  binaryData: z.record(z.string(), z.string()).optional(),
});
export const ZSealedSecretData = z.object({ sealed: z.record(z.string(), z.string()) });
export const ZCompanionSpecData = z.object({ spec: z.record(z.string(), z.unknown()) });
export type TCompanionData =
  z.infer<typeof ZConfigMapData> | z.infer<typeof ZSealedSecretData> | z.infer<typeof ZCompanionSpecData>;
