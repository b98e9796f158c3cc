import { contextScope } from './context-variables';
import { parseGoDuration } from './duration';
import { propagatedWorkspaces } from './propagation';
import { childTaskRunName, MAX_MATRIX_COMBINATIONS, matrixCombinations } from './matrix';
import type { TParamValue } from './param-schemas';
import type { TPipelineSpec, TPipelineTask } from './pipeline-schemas';
import { substitutedValueLength, substituteString, substituteValue, type Scope } from './substitute';
import type { TTaskRunMetadata } from './run-schemas';
import type { TTaskSpec } from './task-schemas';

/**
 * How long a pipeline task's param value may become once the pipeline's params and results are put in
 * (characters; arrays and objects: all elements together). A value repeating a long param would otherwise be
 * built in full, however many times it repeats it.
 */
export const MAX_TASK_PARAM_LENGTH = 1024 * 1024;

export interface WorkspaceUse {
  /** The name the Task knows it by. */
  name: string;
  /** The pipeline workspace that backs it. */
  workspace: string;
  subPath?: string;
}

/** One TaskRun to create: everything pipeline-level is resolved; resolveTaskRun does the rest. */
export interface TaskRunStart {
  task: string;
  finally: boolean;
  matrixIndex?: number;
  attempt: number;
  taskRunName: string;
  params: Record<string, TParamValue>;
  workspaces: WorkspaceUse[];
  timeoutMs?: number;
  taskRef?: string;
  taskSpec?: TTaskSpec;
  /** An embedded taskSpec's labels and annotations, which its TaskRun carries. */
  metadata?: TTaskRunMetadata;
  /** Why its TaskRun cannot run (a param value too long, left unsubstituted): the TaskRun fails saying so. */
  problem?: string;
}

export type PlannedStarts =
  { ok: true; starts: TaskRunStart[] } | { ok: false; emptyMatrix: true } | { ok: false; overCap: number };

/**
 * The TaskRuns a pipeline task fans out to. Params are substituted in the scope (pipeline params,
 * context, results, and for finally tasks the status variables). Inline task specs also receive
 * the pipeline's params and workspaces they do not get explicitly (propagation).
 */
export function planTaskStart(
  task: TPipelineTask,
  spec: TPipelineSpec,
  scope: Scope,
  pipelineParams: Readonly<Record<string, TParamValue>>,
  opts: { pipelineRunName: string; isFinally: boolean; attempt: number; timeoutMs?: number; onlyIndex?: number },
): PlannedStarts {
  // `$(context.pipelineTask.retries)` is the task's own: Tekton's ApplyPipelineTaskContexts.
  scope = { ...scope, ...contextScope({ pipelineTask: { retries: task.retries ?? 0 } }) };
  const params: Record<string, TParamValue> = {};
  if (task.taskSpec) Object.assign(params, pipelineParams);
  // A value that would grow too long is left as it is, and its TaskRun fails saying so.
  let problem: string | undefined;
  const tooLong = (value: TParamValue, what: string): boolean => {
    const length = substitutedValueLength(value, scope);
    if (length <= MAX_TASK_PARAM_LENGTH) return false;
    problem ??= `${what} of pipeline task "${task.name}" would be ${length} characters long once the params and results it uses are put in; at most ${MAX_TASK_PARAM_LENGTH} are allowed`;
    return true;
  };
  for (const p of task.params ?? [])
    params[p.name] = tooLong(p.value, `the value of param "${p.name}"`) ? p.value : substituteValue(p.value, scope);

  const workspaces: WorkspaceUse[] = (task.workspaces ?? []).map((w) => ({
    name: w.name,
    workspace: w.workspace ?? w.name,
    subPath:
      w.subPath === undefined
        ? undefined
        : tooLong(w.subPath, `the subPath of workspace "${w.name}"`)
          ? w.subPath
          : substituteString(w.subPath, scope),
  }));
  // Propagation (propagation.ts): the run workspaces an embedded taskSpec uses; also (beyond Tekton) the pipeline
  // workspaces it declares under the same name.
  const pipelineWorkspaces = new Set((spec.workspaces ?? []).map((w) => w.name));
  const declared = (task.taskSpec?.workspaces ?? []).map((w) => w.name).filter((n) => pipelineWorkspaces.has(n));
  for (const name of [...propagatedWorkspaces(task), ...declared])
    if (!workspaces.some((u) => u.name === name)) workspaces.push({ name, workspace: name });

  const base = {
    task: task.name,
    finally: opts.isFinally,
    attempt: opts.attempt,
    workspaces,
    timeoutMs: combineTimeouts(task.timeout, opts.timeoutMs),
    taskRef: task.taskRef?.name,
    taskSpec: task.taskSpec,
    ...(task.taskSpec?.metadata ? { metadata: task.taskSpec.metadata } : {}),
  };
  if (!task.matrix) {
    const start = { ...base, taskRunName: childTaskRunName(opts.pipelineRunName, task.name), params };
    return { ok: true, starts: [{ ...start, ...(problem ? { problem } : {}) }] };
  }

  const matrixParams = (task.matrix.params ?? []).map((p) => {
    const value = tooLong(p.value, `matrix param "${p.name}"`) ? p.value : substituteValue(p.value, scope);
    return {
      name: p.name,
      value: typeof value === 'string' ? [value] : Array.isArray(value) ? value : Object.values(value),
    };
  });
  if (matrixParams.some((p) => p.value.length === 0)) return { ok: false, emptyMatrix: true };
  const include = task.matrix.include?.map((inc) => ({
    name: inc.name,
    params: inc.params.map((p) => ({
      name: p.name,
      value: tooLong(p.value, `matrix include param "${p.name}"`) ? p.value : substituteString(p.value, scope),
    })),
  }));
  const combinations = matrixCombinations({ params: matrixParams, include });
  if (combinations.length > MAX_MATRIX_COMBINATIONS) return { ok: false, overCap: combinations.length };
  const starts = combinations
    .map((combination, i) => ({
      ...base,
      matrixIndex: i,
      taskRunName: childTaskRunName(opts.pipelineRunName, task.name, i),
      params: { ...params, ...combination },
      ...(problem ? { problem } : {}),
    }))
    .filter((s) => opts.onlyIndex === undefined || s.matrixIndex === opts.onlyIndex);
  return { ok: true, starts };
}

/** The smaller of the task's own timeout and what is left of the run's budget; 0 and absent mean none. */
export function combineTimeouts(taskTimeout: string | undefined, remainingMs: number | undefined): number | undefined {
  const own = taskTimeout === undefined ? undefined : parseGoDuration(taskTimeout) || undefined;
  const candidates = [own, remainingMs].filter((v): v is number => v !== undefined && v > 0);
  return candidates.length > 0 ? Math.min(...candidates) : undefined;
}
