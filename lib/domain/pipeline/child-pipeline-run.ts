import { z } from 'zod';
import { runsChildPipeline } from './child-pipeline-schemas';
import type { TParam, TParamValue } from './param-schemas';
import type { TPipelineSpec, TPipelineTask } from './pipeline-schemas';
import type { TaskRunStart } from './plan-task-start';
import type { TaskRunState } from './run-state';
import type { TPipelineRunSpec, TPipelineRunSpecStatus, TWorkspaceBinding } from './run-schemas';
import { ZWorkspaceSource } from './workspace-source-schema';

/**
 * Pipelines in Pipelines: the pure parts of running a pipeline task as a child PipelineRun. The child is a
 * PipelineRun of its own (named `<parent>-<task>`, same project), which the scheduler sees as the task's one
 * TaskRun: Running while it runs, then Succeeded, Failed or Cancelled, with its pipeline results as the
 * task's results.
 */

/** How deep PipelineRuns nest: a top-level run is depth 0; its children 1… */
export const MAX_PIPELINE_NESTING = 5;

/**
 * How many PipelineRuns one run tree may hold in all, the top-level run included: a few nested Pipelines of many
 * pipeline tasks each would otherwise start their product of runs (checked at apply and before each child starts).
 */
export const MAX_PIPELINE_RUNS_IN_TREE = 100;

const ZBoundFolder = z.object({
  hostPath: z.string(),
  root: z.string().optional(),
  problem: z.string().optional(),
  claim: z.string().optional(),
  readOnly: z.boolean().optional(),
  secretRefs: z.array(z.object({ secret: z.string(), key: z.string() })).optional(),
  /** The volume behind it for a Kubernetes executor, and the subPath in it: the child's TaskRuns mount the same. */
  source: ZWorkspaceSource.optional(),
  subPath: z.string().optional(),
});

/** What a child PipelineRun keeps of its parent (in its frozen spec). */
export const ZChildOf = z.object({
  runId: z.string(),
  runName: z.string(),
  task: z.string(),
  /** 1 for a child of a top-level run. */
  depth: z.number().int().min(1),
  /** The stored Pipelines running above it, outermost first (a pipelineRef to one of them is a cycle). */
  pipelines: z.array(z.string()).default([]),
  /** The parent's folders behind the child's workspaces, by the child's workspace name: they share them. */
  workspaces: z.record(z.string(), ZBoundFolder).default({}),
});
export type TChildOf = z.infer<typeof ZChildOf>;
export type TBoundFolder = z.infer<typeof ZBoundFolder>;

/** A child PipelineRun as the parent's scheduler reads it. */
export interface ChildRunRow {
  id: string;
  name: string;
  parentTask: string | null;
  conditionStatus: 'True' | 'False' | 'Unknown';
  conditionReason: string;
  /** Its Tekton-shaped status (results). */
  results: readonly { name: string; value: unknown }[];
  startedAt: Date | null;
}

const CANCELLED = new Set([
  'Cancelled',
  'CancelledRunFinally',
  'StoppedRunFinally',
  'CancelledRunningFinally',
  'StoppedRunningFinally',
]);

/** The child run as the task's one "TaskRun" state: its results are the child's pipeline results. */
export function childRunState(child: ChildRunRow): TaskRunState {
  const results: Record<string, string> = {};
  const resultTypes: Record<string, 'string' | 'array' | 'object'> = {};
  for (const r of child.results) {
    results[r.name] = typeof r.value === 'string' ? r.value : JSON.stringify(r.value);
    resultTypes[r.name] = Array.isArray(r.value) ? 'array' : typeof r.value === 'object' ? 'object' : 'string';
  }
  const status =
    child.conditionStatus === 'Unknown'
      ? 'Running'
      : child.conditionStatus === 'True'
        ? 'Succeeded'
        : CANCELLED.has(child.conditionReason)
          ? 'Cancelled'
          : 'Failed';
  return {
    task: child.parentTask ?? '',
    status,
    reason: child.conditionReason,
    attempt: 0,
    results,
    resultTypes,
    startTime: child.startedAt ?? undefined,
  };
}

/** Whether any pipeline task (finally included) runs a Pipeline: only then has a run child PipelineRuns to load. */
export function runsChildPipelines(spec: Pick<TPipelineSpec, 'tasks' | 'finally'>): boolean {
  return [...spec.tasks, ...(spec.finally ?? [])].some(
    (t) => t.pipelineRef !== undefined || t.pipelineSpec !== undefined,
  );
}

/** Splits a decision's starts: TaskRuns to create, and child PipelineRuns to create. */
export function splitChildPipelineStarts(
  starts: readonly TaskRunStart[],
  taskOf: (name: string) => TPipelineTask | undefined,
): { taskRuns: TaskRunStart[]; pipelineRuns: TaskRunStart[] } {
  const taskRuns: TaskRunStart[] = [];
  const pipelineRuns: TaskRunStart[] = [];
  for (const s of starts) {
    const t = taskOf(s.task);
    (t && runsChildPipeline(t) ? pipelineRuns : taskRuns).push(s);
  }
  return { taskRuns, pipelineRuns };
}

/** A Go duration of whole milliseconds (what is left of the parent's budget). */
const millis = (ms: number) => `${Math.max(1, Math.ceil(ms))}ms`;

export interface ChildRunInput {
  start: TaskRunStart;
  task: TPipelineTask;
  /** The parent's pipeline spec (its declared workspaces are propagated into an embedded pipelineSpec). */
  parentSpec: TPipelineSpec;
  /** The parent's bindings, by pipeline workspace name (the child binds the same sources). */
  parentBindings: readonly TWorkspaceBinding[];
  /** The parent's params with their defaults (propagated into an embedded pipelineSpec). */
  parentParams?: Readonly<Record<string, TParamValue>>;
  /** The parent's cancel mode, when it has one: the child starts with it. */
  cancel?: TPipelineRunSpecStatus;
}

/**
 * The child PipelineRun's spec: the task's pipelineRef or pipelineSpec, its params as run params, its
 * workspaces bound to the parent's sources under the child's names, and a pipeline timeout of what is left
 * of the parent's budget (with the task's own timeout).
 */
export function childRunSpec(input: ChildRunInput): TPipelineRunSpec {
  const { start, task } = input;
  const params: TParam[] = Object.entries(start.params).map(([name, value]) => ({ name, value }));
  const uses = [...start.workspaces];
  if (task.pipelineSpec) {
    // An embedded pipelineSpec sees the parent's params and workspaces it does not get explicitly.
    for (const [name, value] of Object.entries(input.parentParams ?? {}))
      if (!(name in start.params)) params.push({ name, value });
    for (const w of input.parentSpec.workspaces ?? [])
      if (!uses.some((u) => u.name === w.name)) uses.push({ name: w.name, workspace: w.name });
  }
  const declared = task.pipelineSpec ? new Set((task.pipelineSpec.workspaces ?? []).map((w) => w.name)) : undefined;
  const workspaces: TWorkspaceBinding[] = [];
  for (const u of uses) {
    if (declared && !declared.has(u.name) && !start.workspaces.some((w) => w.name === u.name)) continue;
    const source = input.parentBindings.find((b) => b.name === u.workspace);
    if (!source) continue;
    const subPath = [source.subPath, u.subPath].filter((s): s is string => Boolean(s)).join('/');
    workspaces.push({ ...source, name: u.name, subPath: subPath || undefined });
  }
  return {
    ...(task.pipelineRef ? { pipelineRef: { name: task.pipelineRef.name } } : { pipelineSpec: task.pipelineSpec }),
    params,
    workspaces,
    timeouts: { pipeline: start.timeoutMs === undefined ? '0' : millis(start.timeoutMs) },
    ...(input.cancel ? { status: input.cancel } : {}),
  };
}

/** The parent folders behind the child's workspaces (subPath of the task's binding included). */
export function childFolders(
  start: TaskRunStart,
  spec: TPipelineRunSpec,
  parentFolders: Readonly<Record<string, TBoundFolder>>,
  join: (...parts: string[]) => string,
): Record<string, TBoundFolder> {
  const out: Record<string, TBoundFolder> = {};
  for (const b of spec.workspaces ?? []) {
    const use = start.workspaces.find((w) => w.name === b.name) ?? { name: b.name, workspace: b.name };
    const folder = parentFolders[use.workspace];
    if (!folder) continue;
    out[b.name] = {
      ...folder,
      hostPath: use.subPath ? join(folder.hostPath, use.subPath) : folder.hostPath,
      ...(use.subPath ? { subPath: folder.subPath ? join(folder.subPath, use.subPath) : use.subPath } : {}),
    };
  }
  return out;
}

const CANCEL_MODES = new Set<TPipelineRunSpecStatus>(['Cancelled', 'CancelledRunFinally', 'StoppedRunFinally']);

/**
 * The spec.status a running child should have: the parent's cancel mode (the same mode), or `Cancelled` when
 * the parent's scheduler stops that task otherwise (its tasks or pipeline timeout).
 */
export function childCancelMode(
  parentStatus: TPipelineRunSpecStatus | undefined,
  stoppedByParent: boolean,
): TPipelineRunSpecStatus | undefined {
  if (parentStatus && CANCEL_MODES.has(parentStatus)) return parentStatus;
  return stoppedByParent ? 'Cancelled' : undefined;
}

/** `status.childReferences` entries of the child PipelineRuns (Tekton lists them with kind PipelineRun). */
export function childPipelineRunReferences(children: readonly Pick<ChildRunRow, 'name' | 'parentTask'>[]) {
  return children.map((c) => ({
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    name: c.name,
    pipelineTaskName: c.parentTask,
  }));
}
