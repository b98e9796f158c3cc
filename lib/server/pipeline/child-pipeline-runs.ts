import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  childCancelMode,
  childFolders,
  childPipelineRunReferences,
  childRunSpec,
  childRunState,
  MAX_PIPELINE_NESTING,
  MAX_PIPELINE_RUNS_IN_TREE,
  splitChildPipelineStarts,
  type TBoundFolder,
  type TChildOf,
} from '@/lib/domain/pipeline/child-pipeline-run';
import type { Decision } from '@/lib/domain/pipeline/decision';
import { applyParamDefaults } from '@/lib/domain/pipeline/params';
import type { TaskRunStart } from '@/lib/domain/pipeline/plan-task-start';
import type { TaskRunState } from '@/lib/domain/pipeline/run-state';
import type { TPipelineRun } from '@/lib/domain/pipeline/spec-schemas';
import {
  ZFrozenRunSpec,
  ZPipelineRunStatus,
  ZTaskRunStatus,
  type TFrozenRunSpec,
} from '@/lib/domain/pipeline/stored-schemas';
import { PipelineRunReason } from '@/lib/domain/pipeline/reasons';
import { taskRunCondition } from '@/lib/domain/pipeline/succeeded-condition';
import { pendingTaskRunStatus } from '@/lib/domain/pipeline/task-run-status';
import { AppError } from '@/lib/errors';
import { createPipelineRun } from './create-pipeline-run';
import { jobKeys, type PipelineRunRow, type PipelineUnit, type TaskRunRow } from './ports';
import { squattedChildren } from './squatted-children';
import { generatedName } from './generated-name';
import { freeChildRunName } from './free-child-run-name';

/**
 * Pipelines in Pipelines, the engine's side: a pipeline task with pipelineRef or pipelineSpec runs as a child
 * PipelineRun `<parent>-<task>` (with a random suffix when that name is taken: free-child-run-name.ts) of the
 * parent's project, created by the engine on the parent's behalf (as its TaskRuns are) and linked to it
 * (parent_run_id, parent_task). The parent's scheduler reads the child as the task's one TaskRun
 * (child-pipeline-run.ts).
 */

type ParentRun = Pick<PipelineRunRow, 'id' | 'name' | 'project' | 'createdBy' | 'pipelineName'>;

/** The parent's child PipelineRuns, and how the scheduler sees each. */
export async function loadChildRuns(
  tx: PipelineUnit,
  runId: string,
): Promise<{ rows: PipelineRunRow[]; states: TaskRunState[] }> {
  const rows = await tx.runs.childrenOf(runId);
  const states = rows.map((r) =>
    childRunState({
      ...r,
      results: ZPipelineRunStatus.parse(r.status).results ?? [],
    }),
  );
  return { rows, states };
}

/** A failed TaskRun row in the child's place: the task fails with the reason (nothing to run). */
function failedInPlace(parent: ParentRun, start: TaskRunStart, now: Date, reason: string, message: string): TaskRunRow {
  return {
    id: randomUUID(),
    name: start.taskRunName,
    pipelineRunId: parent.id,
    project: parent.project,
    pipelineTask: start.task,
    matrixIndex: null,
    plan: { taskRunName: start.taskRunName, steps: [] },
    state: 'failed',
    attempt: start.attempt,
    status: {
      ...pendingTaskRunStatus(now),
      conditions: [taskRunCondition('failed', reason, message, now)],
      completionTime: now.toISOString(),
    },
    leaseOwner: null,
    leaseExpiresAt: null,
    cancelRequested: null,
    createdAt: now,
    startedAt: null,
    completedAt: now,
    executor: null,
    podNamespace: null,
    logsRemovedAt: null,
  };
}

/** Why this child may not start (nesting too deep, or a Pipeline that runs itself), or undefined. */
function nestingProblem(frozen: TFrozenRunSpec, parent: ParentRun, start: TaskRunStart, ref: string | undefined) {
  const depth = (frozen.childOf?.depth ?? 0) + 1;
  if (depth > MAX_PIPELINE_NESTING)
    return `pipeline task "${start.task}" would nest PipelineRuns ${depth} deep; at most ${MAX_PIPELINE_NESTING} levels are allowed`;
  const ancestors = [...(frozen.childOf?.pipelines ?? []), ...(parent.pipelineName ? [parent.pipelineName] : [])];
  if (ref && ancestors.includes(ref))
    return `pipeline task "${start.task}" runs Pipeline "${ref}", which is already running above it (${[...ancestors, ref].join(' → ')})`;
  return undefined;
}

/**
 * Creates the child PipelineRuns of a decision's starts, in the parent's transaction, each with its first
 * reconcile job. A child that cannot be created (missing Pipeline, invalid params, too deep) fails its task
 * through a failed TaskRun row in its place, whose message says why; those rows are returned, and the names of
 * those whose row could not be stored (squatted).
 */
export async function startChildPipelineRuns(
  tx: PipelineUnit,
  now: Date,
  parent: ParentRun,
  frozen: TFrozenRunSpec,
  starts: readonly TaskRunStart[],
  parentFolders: () => Promise<Record<string, TBoundFolder>>,
): Promise<{ failed: TaskRunRow[]; squatted: TaskRunRow[] }> {
  const failed: TaskRunRow[] = [];
  let treeRuns: number | undefined;
  for (const start of starts) {
    const task = [...frozen.pipelineSpec.tasks, ...(frozen.pipelineSpec.finally ?? [])].find(
      (t) => t.name === start.task,
    );
    if (!task) continue;
    if (start.problem) {
      failed.push(failedInPlace(parent, start, now, 'InvalidParamValue', start.problem));
      continue;
    }
    const problem = nestingProblem(frozen, parent, start, task.pipelineRef?.name);
    if (problem) {
      failed.push(failedInPlace(parent, start, now, 'PipelineNestingRefused', problem));
      continue;
    }
    treeRuns ??= await tx.runs.treeSize(parent.id);
    if (treeRuns >= MAX_PIPELINE_RUNS_IN_TREE) {
      const message = `pipeline task "${start.task}" would start a child PipelineRun beyond the ${MAX_PIPELINE_RUNS_IN_TREE} PipelineRuns one run tree may hold (its top-level run and every child below it): run fewer Pipelines from pipeline tasks`;
      failed.push(failedInPlace(parent, start, now, 'PipelineNestingRefused', message));
      continue;
    }
    const spec = childRunSpec({
      start,
      task,
      parentSpec: frozen.pipelineSpec,
      parentBindings: frozen.run.workspaces ?? [],
      parentParams: applyParamDefaults(
        frozen.pipelineSpec.params,
        Object.fromEntries((frozen.run.params ?? []).map((p) => [p.name, p.value])),
      ),
      cancel: frozen.run.status === 'PipelineRunPending' ? undefined : frozen.run.status,
    });
    const doc: TPipelineRun = {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: await freeChildRunName(tx.runs, start.taskRunName), namespace: parent.project },
      spec,
    };
    try {
      const child = await createPipelineRun(tx, doc, parent.createdBy, now, `pipelineTask(${start.task})`, {
        child: true,
      });
      const stored = await tx.runs.findByName(child.name);
      const childOf: TChildOf = {
        runId: parent.id,
        runName: parent.name,
        task: start.task,
        depth: (frozen.childOf?.depth ?? 0) + 1,
        pipelines: [...(frozen.childOf?.pipelines ?? []), ...(parent.pipelineName ? [parent.pipelineName] : [])],
        workspaces: childFolders(start, spec, await parentFolders(), path.join),
      };
      if (stored) await tx.runs.saveSpec(child.id, { ...ZFrozenRunSpec.parse(stored.spec), childOf });
      await tx.runs.linkToParent(child.id, parent.id, start.task);
      await tx.jobs.reconcileRun(child.id, jobKeys.started(child.id));
      treeRuns++;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      failed.push(failedInPlace(parent, start, now, 'CouldntCreateChildPipelineRun', err.message));
    }
  }
  return insertFailedInPlace(tx, parent.id, failed);
}

/**
 * Stores the failed rows in the children's places. A row whose name a TaskRun outside the parent holds (a
 * standalone TaskRun `<parent>-<task>` created before the parent) gets a random suffix, as a TaskRun does
 * (free-task-run-names.ts): the scheduler finds it by run and pipeline task. One that still cannot be stored
 * would start its task again at every reconcile: it is returned as squatted and the parent fails naming it.
 */
async function insertFailedInPlace(
  tx: PipelineUnit,
  parentId: string,
  failed: readonly TaskRunRow[],
): Promise<{ failed: TaskRunRow[]; squatted: TaskRunRow[] }> {
  if (failed.length === 0) return { failed: [], squatted: [] };
  const held = await tx.taskRuns.named(failed.map((r) => r.name));
  const outside = new Set(held.filter((r) => r.pipelineRunId !== parentId).map((r) => r.name));
  failed = failed.map((r) => {
    if (!outside.has(r.name)) return r;
    const name = generatedName(`${r.name.slice(0, 57)}-`);
    return { ...r, name, plan: { ...r.plan, taskRunName: name } };
  });
  const ids = new Set(await tx.taskRuns.insert([...failed]));
  const left = failed.filter((r) => !ids.has(r.id));
  const squatted = new Set(
    await squattedChildren(
      tx,
      parentId,
      left.map((r) => ({ taskRunName: r.name })),
      [],
    ),
  );
  return { failed: failed.filter((r) => ids.has(r.id)), squatted: left.filter((r) => squatted.has(r.name)) };
}

/** Ends the run as Failed: these tasks' children could not be created, nor their failure recorded (squatted). */
function failForUnrecorded(decision: Decision, squatted: readonly TaskRunRow[]): void {
  if (squatted.length === 0) return;
  const why = squatted.map((r) => {
    const cause = ZTaskRunStatus.parse(r.status).conditions?.[0]?.message;
    return `pipeline task "${r.pipelineTask}" could not start its child PipelineRun (${cause}) and its failure cannot be recorded: the TaskRun name "${r.name}" is taken by a TaskRun outside this PipelineRun`;
  });
  const message = `${why.join('; ')}. Delete that TaskRun, or start the run under another name.`;
  decision.condition = { status: 'False', reason: PipelineRunReason.Failed, message };
  decision.finish = { ...decision.condition, results: [] };
}

/**
 * Takes the child PipelineRun starts out of a decision (the rest are TaskRuns) and creates them; returns the
 * failed TaskRun rows put in the place of those that could not be created. One whose row a TaskRun outside the
 * run already holds ends the run as Failed, naming it (the task could never be recorded as failed).
 */
export async function startChildPipelineRunsOf(
  tx: PipelineUnit,
  now: Date,
  parent: ParentRun,
  frozen: TFrozenRunSpec,
  decision: Decision,
  parentFolders: () => Promise<Record<string, TBoundFolder>>,
): Promise<TaskRunRow[]> {
  const tasks = new Map([...frozen.pipelineSpec.tasks, ...(frozen.pipelineSpec.finally ?? [])].map((t) => [t.name, t]));
  const split = splitChildPipelineStarts(decision.start, (name) => tasks.get(name));
  if (split.pipelineRuns.length === 0) return [];
  decision.start.splice(0, decision.start.length, ...split.taskRuns);
  const { failed, squatted } = await startChildPipelineRuns(tx, now, parent, frozen, split.pipelineRuns, parentFolders);
  failForUnrecorded(decision, squatted);
  return failed;
}

/**
 * Cancels and timeouts reach the children: a running child gets the parent's cancel mode, or `Cancelled`
 * when the parent's scheduler stops its task (tasks or pipeline timeout), with a reconcile job.
 */
export async function propagateToChildren(
  tx: PipelineUnit,
  now: Date,
  frozen: TFrozenRunSpec,
  cancels: Decision['cancelRunning'],
  children: readonly PipelineRunRow[],
): Promise<void> {
  for (const child of children) {
    if (child.completedAt) continue;
    const stopped = cancels.some((c) => c.task === child.parentTask);
    const mode = childCancelMode(frozen.run.status, stopped);
    const own = ZFrozenRunSpec.parse(child.spec);
    if (!mode || own.run.status === mode || own.run.status === 'Cancelled') continue;
    await tx.runs.saveSpec(child.id, { ...own, run: { ...own.run, status: mode } });
    await tx.jobs.reconcileRun(child.id, jobKeys.cancelled(child.id, mode, now));
  }
}

/** A child run that has just finished moves its parent on at once (not at the next tick). */
export async function wakeParent(tx: PipelineUnit, run: Pick<PipelineRunRow, 'id' | 'parentRunId'>): Promise<void> {
  if (run.parentRunId) await tx.jobs.reconcileRun(run.parentRunId, `child-ended:${run.id}`);
}

/** The status with the child PipelineRuns added to `childReferences` (sorted by name, as the TaskRuns). */
export function withChildPipelineRuns<S extends { childReferences?: { name: string }[] }>(
  status: S,
  children: readonly PipelineRunRow[],
): S {
  if (children.length === 0) return status;
  const refs = [...(status.childReferences ?? []), ...childPipelineRunReferences(children)];
  return { ...status, childReferences: refs.sort((a, b) => a.name.localeCompare(b.name)) };
}

/**
 * A child PipelineRun is deleted with its parent; on its own only once the parent has finished (the parent's
 * scheduler would otherwise start the task again).
 */
export async function refuseDeletingLiveChild(
  runs: Pick<PipelineUnit['runs'], 'findByName'>,
  row: Pick<PipelineRunRow, 'name' | 'spec'>,
): Promise<void> {
  const parent = ZFrozenRunSpec.parse(row.spec).childOf?.runName;
  const found = parent ? await runs.findByName(parent) : undefined;
  if (found && !found.completedAt)
    throw new AppError('CONFLICT', `PipelineRun "${row.name}" is a child of "${found.name}", which is still running.`, {
      hint: `Wait for "${found.name}" to finish or cancel it; deleting "${found.name}" deletes this run with it.`,
    });
}
