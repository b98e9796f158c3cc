// Path text only (joining folder names), no file system access.
import { posix } from 'node:path';
import type { TaskRunStart } from './plan-task-start';
import { podMetadata } from './pod-labels';
import type { TaskRunPodSettings } from './pod-settings';
import { resolveTaskRun, type BoundWorkspace, type ResolveTaskRunInput } from './resolve-task-run';
import { SubstitutionTooLong } from './substitution-size';
import type { TTaskRunMetadata, TTaskSpec } from './spec-schemas';
import type { StepActionLookup } from './step-merge';
import type { ResultType } from './step-results';
import type { TaskRunPlan } from './task-run-plan';
import type { ValidationError } from './validation-error';
import { subPathMessage, subPathProblem, subPathSegments } from './workspace-paths';

/** The ConfigMaps and Secrets (decrypted, in memory only) that plans refer to, by name. */
export interface Companions {
  configMaps: Record<string, Record<string, string>>;
  /** Each ConfigMap's binaryData (base64): files in configMap volumes, never env (as Kubernetes). */
  configMapBinary?: Record<string, Record<string, string>>;
  secrets: Record<string, Record<string, string>>;
}

/** The plan stored on a TaskRun: what the executor runs, with the declared result types and step images the status needs. */
export type ChildPlan = TaskRunPlan & {
  resultTypes: Record<string, ResultType>;
  /** Labels and annotations the TaskRun carries (its embedded taskSpec's, the run's taskRunSpecs' winning). */
  metadata?: TTaskRunMetadata;
  images: Record<string, string | undefined>;
};

export interface ChildContext {
  /** The project the run belongs to: `$(context.taskRun.namespace)` and `$(context.pipelineRun.namespace)`. */
  namespace?: string;
  pipelineRunName: string;
  pipelineRunId: string;
  pipelineName?: string;
  taskSpecs: Record<string, TTaskSpec>;
  /** Folders for the run's pipeline workspaces, by pipeline workspace name. */
  boundWorkspaces: Record<string, BoundWorkspace>;
  companions: Companions;
  stepActions: StepActionLookup;
  /** The run's `taskRunSpecs[].metadata`, by pipeline task name. */
  taskRunMetadata?: Record<string, TTaskRunMetadata>;
  /**
   * The PipelineRun's own labels and annotations (its Pipeline's under them); for a standalone TaskRun (no
   * pipelineRunName), the TaskRun's own. Its pod carries them (pod-labels.ts).
   */
  ownerMetadata?: TTaskRunMetadata;
  /** Each referenced Task's labels and annotations, by Task name. */
  taskMetadata?: Readonly<Record<string, TTaskRunMetadata>>;
  /** Pod-level settings by pipeline task name (pod-settings.ts); a standalone TaskRun's own spec. */
  podSettings?: (pipelineTask: string) => TaskRunPodSettings;
}

/** Turns the scheduler's TaskRunStart into the stored plan an executor runs, or the reasons it cannot. */
export function planChildTaskRun(
  start: TaskRunStart,
  ctx: ChildContext,
  uid: string,
): { ok: true; plan: ChildPlan } | { ok: false; errors: ValidationError[] } {
  if (start.problem)
    return {
      ok: false,
      errors: [
        {
          reason: 'InvalidParamValue',
          task: start.task,
          path: 'spec.tasks.params',
          message: start.problem,
          hint: 'Repeat a long param or result fewer times in the value, or pass it on once and combine it in the step.',
        },
      ],
    };
  const spec = start.taskSpec ?? ctx.taskSpecs[start.task];
  if (!spec) {
    return {
      ok: false,
      errors: [
        {
          reason: 'CouldntGetTask',
          task: start.task,
          path: `spec.tasks`,
          message: `no Task spec for pipeline task "${start.task}"`,
          hint: 'Apply the Task the pipeline refers to.',
        },
      ],
    };
  }
  const workspaces: Record<string, BoundWorkspace> = {};
  for (const use of start.workspaces) {
    const bound = ctx.boundWorkspaces[use.workspace];
    if (!bound) continue;
    // Checked again after substitution: `$(params.dir)` or a task result may turn into "../..".
    const problem = use.subPath === undefined ? undefined : subPathProblem(use.subPath);
    if (problem) {
      const message = subPathMessage(`subPath of workspace "${use.name}"`, use.subPath ?? '', problem);
      return {
        ok: false,
        errors: [
          {
            reason: 'InvalidWorkspaceBindings',
            task: start.task,
            path: 'spec.tasks.workspaces.subPath',
            message,
            hint: 'Pass a relative folder name in the param or result that fills the subPath.',
          },
        ],
      };
    }
    const subPath = posix.join(...subPathSegments(bound.subPath), ...subPathSegments(use.subPath));
    workspaces[use.name] = {
      ...bound,
      hostPath: posix.join(bound.hostPath, ...subPathSegments(use.subPath)),
      ...(subPath !== '.' ? { subPath } : {}),
    };
  }
  const resolved = resolveWithinSize(start.task, {
    spec,
    params: start.params,
    context: {
      taskRunName: start.taskRunName,
      namespace: ctx.namespace ?? 'default',
      taskRunUid: uid,
      taskName: start.taskRef ?? start.task,
      inlineSpec: !start.taskRef,
      retryCount: start.attempt,
      pipelineRunName: ctx.pipelineRunName,
      pipelineRunUid: ctx.pipelineRunId,
      pipelineName: ctx.pipelineName,
    },
    workspaces,
    timeoutMs: start.timeoutMs,
    stepActions: ctx.stepActions,
    configMaps: ctx.companions.configMaps,
    configMapBinary: ctx.companions.configMapBinary,
    // Keys only: the plan refers to Secret values, the worker resolves them when it runs the TaskRun.
    secretKeys: Object.fromEntries(
      Object.entries(ctx.companions.secrets).map(([name, data]) => [name, Object.keys(data)]),
    ),
    pod: ctx.podSettings?.(start.task),
  });
  if (!resolved.ok) return resolved;
  const resultTypes: Record<string, ResultType> = Object.fromEntries(
    (spec.results ?? []).map((r) => [r.name, r.type ?? (r.properties ? 'object' : 'string')]),
  );
  const images = Object.fromEntries(resolved.plan.steps.map((s) => [s.name, s.image]));
  const metadata = taskRunMetadata(start.metadata, ctx.taskRunMetadata?.[start.task]);
  const pod = podMetadata({
    taskRunName: start.taskRunName,
    taskRunUid: uid,
    taskRef: start.taskRef,
    task: start.taskRef ? ctx.taskMetadata?.[start.taskRef] : undefined,
    ...(ctx.pipelineRunName
      ? {
          pipelineRun: {
            name: ctx.pipelineRunName,
            uid: ctx.pipelineRunId,
            pipeline: ctx.pipelineName ?? ctx.pipelineRunName,
            pipelineTask: start.task,
            finally: start.finally,
            metadata: ctx.ownerMetadata,
            taskRunSpec: ctx.taskRunMetadata?.[start.task],
            embedded: start.metadata,
          },
        }
      : { taskRun: ctx.ownerMetadata }),
  });
  const plan: ChildPlan = { ...resolved.plan, resultTypes, images, ...(metadata ? { metadata } : {}) };
  plan.labels = pod.labels;
  if (Object.keys(pod.annotations).length > 0) plan.annotations = pod.annotations;
  return { ok: true, plan };
}

/** resolveTaskRun, with text that would grow too long once substituted (never built) as a validation error. */
function resolveWithinSize(task: string, input: ResolveTaskRunInput): ReturnType<typeof resolveTaskRun> {
  try {
    return resolveTaskRun(input);
  } catch (err) {
    if (!(err instanceof SubstitutionTooLong)) throw err;
    const hint = 'Repeat long params or results fewer times, or write them to a file once and read it in the step.';
    return {
      ok: false,
      errors: [{ reason: 'TaskRunValidationFailed', task, path: 'spec', message: err.message, hint }],
    };
  }
}

/** Tekton's precedence: a taskRunSpecs entry's labels and annotations win over the embedded taskSpec's. */
function taskRunMetadata(
  embedded: TTaskRunMetadata | undefined,
  fromRun: TTaskRunMetadata | undefined,
): TTaskRunMetadata | undefined {
  if (!embedded && !fromRun) return undefined;
  const labels = { ...embedded?.labels, ...fromRun?.labels };
  const annotations = { ...embedded?.annotations, ...fromRun?.annotations };
  return {
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
}
