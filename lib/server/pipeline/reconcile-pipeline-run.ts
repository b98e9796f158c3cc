import { decide } from '@/lib/domain/pipeline/decide';
import { pipelineRunStatus } from '@/lib/domain/pipeline/pipeline-run-status';
import type { ChildContext } from '@/lib/domain/pipeline/plan-child-task-run';
import type { ExecutorKind } from '@/lib/domain/pipeline/executor-choice';
import { ZFrozenRunSpec, ZPipelineRunStatus } from '@/lib/domain/pipeline/stored-schemas';
import { assertPipelineRunMove } from '@/lib/domain/pipeline/pipeline-run-states';
import { reusedTaskRunStates } from '@/lib/domain/pipeline/rerun-from-failed';
import { runsChildPipelines } from '@/lib/domain/pipeline/child-pipeline-run';
import type { SecretBox } from '../security/secret-box';
import type { PipelineDeps, TaskRunRow } from './ports';
import { taskRunState } from './task-run-state';
import { failForSquatted, squattedChildren } from './squatted-children';
import {
  loadChildRuns,
  propagateToChildren,
  startChildPipelineRunsOf,
  wakeParent,
  withChildPipelineRuns,
} from './child-pipeline-runs';
import { childContext } from './child-task-run-context';
import { createChildren, planChildren, requestCancels, retryChildren } from './child-task-runs';
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
  /** The run, when this reconcile ended it (the engine cleans up after it: its volumeClaimTemplate claims). */
  ended?: { id: string; name: string; project: string };
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
  /** Only TaskRuns for the local executor are claimed here (pickExecutor with this default); the rest stay pending. */
  defaultExecutor?: ExecutorKind;
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
          // One query less per reconcile for the runs that start no Pipelines (most of them).
          const childRuns = runsChildPipelines(frozen.pipelineSpec)
            ? await loadChildRuns(tx, runId)
            : { rows: [], states: [] };
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
          const planned = (starts: typeof decision.start) => planChildren(now, starts, lazyCtx, frozen.executor);
          const inserted = await createChildren(tx, now, run, await planned(decision.start), left);
          failForSquatted(decision, await squattedChildren(tx, runId, decision.start, [...rows, ...inserted]));
          const retried = await retryChildren(tx, now, await planned(decision.retry));
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
          const ended = finished ? { id: run.id, name: run.name, project: run.project } : undefined;
          return { pending: created, claimed: taken, finished, again, ended };
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
    if (!outcome.again)
      return { dispatch, claimed, finished: outcome.finished, ...('ended' in outcome ? { ended: outcome.ended } : {}) };
  }
  return { dispatch, claimed, finished: false };
}
