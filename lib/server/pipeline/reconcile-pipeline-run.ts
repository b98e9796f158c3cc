import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { decide, type Decision } from '@/lib/domain/pipeline/decide';
import { pipelineRunStatus } from '@/lib/domain/pipeline/pipeline-run-status';
import { planChildTaskRun, type ChildContext } from '@/lib/domain/pipeline/plan-child-task-run';
import type { TaskRunStart } from '@/lib/domain/pipeline/plan-task-start';
import {
  ZFrozenRunSpec,
  ZPipelineRunStatus,
  ZTaskRunStatus,
  type TFrozenRunSpec,
  type TStoredPlanInput,
  type TTaskRunStatus,
} from '@/lib/domain/pipeline/stored-schemas';
import { assertPipelineRunMove } from '@/lib/domain/pipeline/pipeline-run-states';
import { taskRunCondition } from '@/lib/domain/pipeline/succeeded-condition';
import type { TaskRunStateName } from '@/lib/domain/pipeline/task-run-states';
import { pendingTaskRunStatus } from '@/lib/domain/pipeline/task-run-status';
import { reusedTaskRunStates } from '@/lib/domain/pipeline/rerun-from-failed';
import type { SecretBox } from '../security/secret-box';
import { companionNames, loadCompanions } from './companion-data';
import { projectVolumesDir } from './pipeline-access';
import { latestInProject, stepActionSpecOf } from './stored-definitions';
import type { PipelineDeps, PipelineUnit, TaskRunRow } from './ports';
import { prepareWorkspaces } from './prepare-workspaces';
import { claimedFields, runningStatus } from './task-run-lease';
import { taskRunState } from './task-run-state';
import { failForSquatted, squattedChildren } from './squatted-children';
import {
  loadChildRuns,
  propagateToChildren,
  startChildPipelineRunsOf,
  wakeParent,
  withChildPipelineRuns,
} from './child-pipeline-runs';
import { queuedRunGate, withGroupCancelMessage } from './queued-run-gate';
import { settleConcurrencyGroup } from './settle-concurrency-group';
import { endRunOnError } from './end-run-on-error';
import { isTransientError } from './transient-error';
import { freeTaskRunNames } from './free-task-run-names';

export interface EngineDeps extends PipelineDeps {
  box: SecretBox;
  /** `<data>/runs` and `<data>/volumes`. */
  runsDir: string;
  volumesDir: string;
  /** The host user steps run as when Keelson runs as root (KEELSON_STEP_USER; default `keelson-step`). */
  stepUser?: string;
}

export interface ReconcileResult {
  /** TaskRuns now pending, to hand to executors. */
  dispatch: string[];
  /** New TaskRuns created already claimed by the caller (see `ClaimOnCreate`), to run at once. */
  claimed: TaskRunRow[];
  finished: boolean;
}

/**
 * The caller has free slots: up to `max` of the TaskRuns this reconcile creates are created running,
 * leased to `owner`, in the same transaction. That saves a fan-out's claim statement and its commit
 * (2–3 ms) between a task's end and the next tasks' start. The rest stay pending for any worker.
 */
export interface ClaimOnCreate {
  owner: string;
  leaseMs: number;
  max: number;
}

function failedStatus(
  state: Extract<TaskRunStateName, 'failed' | 'cancelled'>,
  now: Date,
  reason: string,
  message: string,
): TTaskRunStatus {
  return {
    ...pendingTaskRunStatus(now),
    conditions: [taskRunCondition(state, reason, message, now)],
    completionTime: now.toISOString(),
  };
}

async function childContext(
  ed: EngineDeps,
  tx: PipelineUnit,
  run: { id: string; name: string; project: string; pipelineName: string | null },
  frozen: TFrozenRunSpec,
): Promise<ChildContext> {
  const specs = Object.values(frozen.taskSpecs);
  const actionNames = [...new Set(specs.flatMap((s) => s.steps.flatMap((st) => (st.ref ? [st.ref.name] : []))))];
  // The run's project's StepActions, ConfigMaps and Secrets only (names are unique across projects).
  const actions = (await latestInProject(tx.definitions, 'StepAction', actionNames, run.project)).found;
  const bindings = frozen.run.workspaces ?? [];
  const names = companionNames(specs, bindings, [...actions.values()].map(stepActionSpecOf));
  const companions = await loadCompanions(tx.companions, ed.box, names, run.project);
  const boundWorkspaces = await prepareWorkspaces(
    bindings,
    {
      runDir: path.join(ed.runsDir, run.name),
      volumesDir: projectVolumesDir(ed.volumesDir, run.project),
      stepUser: ed.stepUser,
    },
    companions,
  );
  return {
    namespace: run.project,
    pipelineRunName: run.name,
    pipelineRunId: run.id,
    pipelineName: run.pipelineName ?? undefined,
    taskSpecs: frozen.taskSpecs,
    taskRunMetadata: Object.fromEntries(
      (frozen.run.taskRunSpecs ?? []).flatMap((s) => (s.metadata ? [[s.pipelineTaskName, s.metadata]] : [])),
    ),
    // A child PipelineRun shares its parent's folders (child-pipeline-runs.ts).
    boundWorkspaces: { ...boundWorkspaces, ...frozen.childOf?.workspaces },
    companions,
    stepActions: (name) => stepActionSpecOf(actions.get(name)),
  };
}

interface PlannedChild {
  start: TaskRunStart;
  uid: string;
  state: Extract<TaskRunStateName, 'pending' | 'failed'>;
  status: TTaskRunStatus;
  plan: TStoredPlanInput;
}

async function planChildren(
  now: Date,
  starts: TaskRunStart[],
  ctx: () => Promise<ChildContext>,
): Promise<PlannedChild[]> {
  if (starts.length === 0) return [];
  const context = await ctx();
  return starts.map((start) => {
    const uid = randomUUID();
    const planned = planChildTaskRun(start, context, uid);
    const status = planned.ok
      ? pendingTaskRunStatus(now)
      : failedStatus(
          'failed',
          now,
          planned.errors[0].reason,
          planned.errors.map((e) => `${e.path}: ${e.message}`).join('; '),
        );
    const plan = planned.ok ? planned.plan : { taskRunName: start.taskRunName, steps: [] };
    return {
      start,
      uid,
      state: planned.ok ? 'pending' : 'failed',
      status,
      plan,
    };
  });
}

/** Inserts the new TaskRun rows of a decision in one statement, the first `claim.max` pending ones claimed. Returns the rows actually created. */
async function createChildren(
  tx: PipelineUnit,
  now: Date,
  { id: runId, project }: { id: string; project: string },
  children: PlannedChild[],
  claim: ClaimOnCreate | undefined,
): Promise<TaskRunRow[]> {
  if (children.length === 0) return [];
  let toClaim = claim?.max ?? 0;
  const rows = children.map((c): TaskRunRow => {
    const row: TaskRunRow = {
      id: c.uid,
      name: c.start.taskRunName,
      pipelineRunId: runId,
      // A PipelineRun's TaskRuns are of its project.
      project,
      pipelineTask: c.start.task,
      matrixIndex: c.start.matrixIndex ?? null,
      plan: c.plan,
      state: c.state,
      attempt: c.start.attempt,
      status: c.status,
      leaseOwner: null,
      leaseExpiresAt: null,
      cancelRequested: null,
      createdAt: now,
      startedAt: null,
      completedAt: c.state === 'pending' ? null : now,
    };
    if (!claim || c.state !== 'pending' || toClaim <= 0) return row;
    toClaim--;
    return {
      ...row,
      ...claimedFields(claim.owner, claim.leaseMs, now),
      status: { ...c.status, ...runningStatus(now) },
    };
  });
  // Only the ids come back (a name taken by a concurrent reconcile is skipped): the rows are what was sent.
  const ids = new Set(await tx.taskRuns.insert(rows));
  return rows.filter((r) => ids.has(r.id));
}

/** Resets the rows of retried TaskRuns for their next attempt, keeping the earlier attempts' status as history. */
async function retryChildren(
  tx: PipelineUnit,
  now: Date,
  children: PlannedChild[],
): Promise<Pick<TaskRunRow, 'id' | 'state'>[]> {
  const out: Pick<TaskRunRow, 'id' | 'state'>[] = [];
  for (const c of children) {
    const old = await tx.taskRuns.statusOf(c.start.taskRunName);
    const previous = old && ZTaskRunStatus.parse(old);
    const history = [
      ...(previous?.retriesStatus ?? []),
      ...(previous ? [{ ...previous, retriesStatus: undefined }] : []),
    ];
    const row = await tx.taskRuns.resetForRetry({
      name: c.start.taskRunName,
      attempt: c.start.attempt,
      state: c.state,
      plan: c.plan,
      status: { ...c.status, retriesStatus: history },
      completedAt: c.state === 'pending' ? null : now,
    });
    if (row) out.push(row);
  }
  return out;
}

async function requestCancels(
  tx: PipelineUnit,
  now: Date,
  runId: string,
  cancels: Decision['cancelRunning'],
): Promise<void> {
  for (const c of cancels) {
    const which = { pipelineRunId: runId, task: c.task, matrixIndex: c.matrixIndex };
    await tx.taskRuns.cancelPending(which, failedStatus('cancelled', now, 'TaskRunCancelled', c.message), now);
    await tx.taskRuns.requestCancel(which, c.message);
  }
}

/**
 * One reconciliation of a PipelineRun, serialized per run by a row lock: ask the scheduler what to
 * do, create or retry TaskRuns, request cancellations, and record the Tekton-shaped status.
 * Idempotent: running it twice in a row changes nothing the second time.
 */
export async function reconcilePipelineRun(
  ed: EngineDeps,
  runId: string,
  claim?: ClaimOnCreate,
): Promise<ReconcileResult> {
  const dispatch: string[] = [];
  const claimed: TaskRunRow[] = [];
  for (let pass = 0; pass < 10; pass++) {
    // Everything written here is derived state that the next reconcile (at the latest the periodic
    // tick) recomputes if a database crash loses it, so the commit need not wait for the disk.
    const outcome = await ed.stores
      .transaction(
        async (tx) => {
          // Serializes the reconciles of this run until the commit; a grouped run's group lock comes first (same query).
          const run = await tx.runs.lockForReconcile(runId);
          if (!run) return { pending: [] as string[], claimed: [] as TaskRunRow[], finished: true, again: false };
          const group = run.concurrencyGroup;
          const frozen = ZFrozenRunSpec.parse(run.spec);
          const runStatus = ZPipelineRunStatus.parse(run.status);
          const now = ed.now();
          const gate = group ? await queuedRunGate(tx, group, run, frozen, now) : 'run';
          if (gate === 'wait' || gate === 'admitted')
            return { pending: [], claimed: [], finished: false, again: gate === 'admitted' };
          const rows = await tx.taskRuns.scheduleRows(runId);
          const childRuns = await loadChildRuns(tx, runId);
          const decision = decide({
            pipelineRun: { name: run.name, uid: run.id, namespace: run.project },
            pipelineName: run.pipelineName ?? undefined,
            spec: frozen.pipelineSpec,
            boundWorkspaces: (frozen.run.workspaces ?? []).map((w) => w.name),
            taskSpecs: frozen.taskSpecs,
            params: frozen.run.params ?? [],
            specStatus: gate === 'cancelled' ? 'Cancelled' : frozen.run.status,
            timeouts: frozen.run.timeouts,
            taskRunTimeouts: Object.fromEntries(
              (frozen.run.taskRunSpecs ?? []).flatMap((s) => (s.timeout ? [[s.pipelineTaskName, s.timeout]] : [])),
            ),
            startTime: run.startedAt ?? run.createdAt,
            now,
            // A rerun from failed counts the TaskRuns it reuses as succeeded (rerun-from-failed.ts).
            taskRuns: [
              ...reusedTaskRunStates(frozen.rerun?.reused ?? []),
              ...rows.map(taskRunState),
              ...childRuns.states,
            ],
            skipped: runStatus.skippedTasks ?? [],
          });
          withGroupCancelMessage(decision, frozen.concurrencyCancel);
          // The run is locked and unfinished: a refused move is a bug in the scheduler, not a race.
          assertPipelineRunMove(run.conditionStatus, decision.condition);
          let ctx: Promise<ChildContext> | undefined;
          const lazyCtx = () => (ctx ??= childContext(ed, tx, run, frozen));
          const left = claim && { ...claim, max: claim.max - claimed.length };
          const folders = async () => (await lazyCtx()).boundWorkspaces;
          const childFailed = await startChildPipelineRunsOf(tx, now, run, frozen, decision, folders);
          await freeTaskRunNames(tx, runId, decision, rows);
          const inserted = await createChildren(tx, now, run, await planChildren(now, decision.start, lazyCtx), left);
          failForSquatted(decision, await squattedChildren(tx, runId, decision.start, [...rows, ...inserted]));
          const retried = await retryChildren(tx, now, await planChildren(now, decision.retry, lazyCtx));
          const created = [...inserted, ...retried].filter((r) => r.state === 'pending').map((r) => r.id);
          const taken = inserted.filter((r) => r.state === 'running');
          await requestCancels(tx, now, runId, decision.cancelRunning);
          await propagateToChildren(tx, now, frozen, decision.cancelRunning, childRuns.rows);
          const children = [...rows, ...inserted, ...childFailed];
          const status = ZPipelineRunStatus.parse(
            withChildPipelineRuns(pipelineRunStatus(runStatus, decision, children, now), childRuns.rows),
          );
          const finished = Boolean(decision.finish);
          await tx.runs.saveReconciled(runId, {
            status,
            conditionStatus: decision.condition.status,
            conditionReason: decision.condition.reason,
            completedAt: finished ? now : null,
          });
          if (finished) await wakeParent(tx, run);
          // A slot of its group is free: the next queued run starts in this transaction.
          if (group && finished) await settleConcurrencyGroup(tx, group, now);
          // A child that failed to resolve is already final: decide again at once instead of waiting.
          const again =
            !finished &&
            (childFailed.length > 0 || decision.start.length + decision.retry.length > created.length + taken.length);
          return { pending: created, claimed: taken, finished, again };
        },
        { asyncCommit: true },
      )
      .catch((err: unknown) => {
        // An error that would recur at every try ends the run Failed rather than holding it (end-run-on-error.ts).
        if (!isTransientError(err)) return endRunOnError(ed, runId, err);
        // TaskRuns an earlier pass committed (some already claimed by the caller) must still be handed
        // over; the next reconcile, at the latest the periodic tick, redoes what this pass could not.
        if (pass > 0) return undefined;
        throw err;
      });
    if (!outcome) return { dispatch, claimed, finished: false };
    dispatch.push(...outcome.pending);
    claimed.push(...outcome.claimed);
    if (!outcome.again) return { dispatch, claimed, finished: outcome.finished };
  }
  return { dispatch, claimed, finished: false };
}
