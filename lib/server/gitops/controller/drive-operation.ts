/**
 * Drives an app's open sync operation to its end. The plan and the progress live in the
 * operation row, and the next step is always computed from them by the pure `nextSyncAction`, so a
 * controller that dies mid-sync is replaced by one that picks up the lease and carries on.
 */
import {
  assessHealth,
  nextSyncAction,
  observedTasks,
  parseResourceKey,
  parseStoredPlan,
  parseStoredProgress,
  resourceResults,
  type SyncPlan,
  type SyncProgress,
} from '@/lib/domain/gitops';
import type { TResourceResult } from '@/lib/schemas/applications';
import type { ControlledApp } from '../app-target';
import type { OperationRow } from '../ports';
import { noAnswer, unreachableMessage, type ClusterWatch } from './cluster-watch';
import { rememberApplied } from './compare-app-state';
import { objectKey } from './object-key';
import { finishOperation } from './finish-operation';
import { windowHolds } from './project-rules';
import { prepareOperation } from './prepare-operation';
import { deleteHooks, runTasks } from './run-sync-tasks';
import type { ControllerRuntime } from './runtime';

export type OpRow = OperationRow;

export const LEASE_MS = 30_000;
const POLL_MS = 250;

export interface DriveContext {
  owner: string;
  stopping: () => boolean;
  /** How long the operation's lease lasts without renewal (default LEASE_MS). */
  leaseMs?: number;
}

/**
 * Fresh health of the hooks and health-gated resources applied so far, and which pruned objects still exist; `unreachable` when a read got
 * no answer (the cluster is down: its objects are not known to be missing, the operation must not wait on them).
 */
async function observe(
  watch: ClusterWatch,
  plan: SyncPlan,
  progress: SyncProgress,
): Promise<{ progress: SyncProgress; unreachable?: string }> {
  const tasks = observedTasks(plan).filter((t) => progress.results[t.id]);
  const health = { ...progress.health };
  const deleting: string[] = [];
  let unreachable: string | undefined;
  await Promise.all(
    tasks.map(async (t) => {
      const result = progress.results[t.id];
      if (result.status === 'SyncFailed' || result.status === 'PruneSkipped') return;
      const live = await watch.client.get(objectKey(t.obj)).catch((err: unknown) => {
        if (noAnswer(err)) unreachable ??= (err as Error).message;
        return undefined;
      });
      if (t.action === 'prune') {
        if (live) deleting.push(t.key);
      } else {
        health[t.key] = assessHealth(live);
      }
    }),
  );
  return { progress: { ...progress, health, deleting }, unreachable };
}

/** Per-resource results with the wave each task ran in (resourceResults keeps plan order). */
function resultsOf(plan: SyncPlan, progress: SyncProgress): TResourceResult[] {
  const ran = [...plan.steps.flatMap((s) => s.tasks), ...plan.syncFail].filter(
    (t) => progress.results[t.id] && parseResourceKey(t.key),
  );
  return resourceResults(plan, progress).map((r, i) => ({ ...r, wave: ran[i]?.wave }));
}

/** A dry run applies every step with dryRun=All and waits for nothing: nothing it "creates" exists. */
async function dryRunAll(
  watch: ClusterWatch,
  plan: SyncPlan,
  validate: boolean,
  now: () => Date,
): Promise<SyncProgress> {
  let progress: SyncProgress = { results: {}, health: {} };
  for (const step of plan.steps) {
    const results = await runTasks(watch.client, step.tasks, { dryRun: true, validate, now });
    progress = { ...progress, results: { ...progress.results, ...results } };
    if (Object.values(results).some((r) => r.status === 'SyncFailed')) break;
  }
  return progress;
}

function stepsOf(plan: SyncPlan, progress: SyncProgress) {
  return plan.steps.map((s) => ({
    phase: s.phase,
    wave: s.wave,
    total: s.tasks.length,
    done: s.tasks.filter((t) => progress.results[t.id]).length,
  }));
}

export async function driveOperation(rt: ControllerRuntime, ctx: DriveContext, app: ControlledApp): Promise<void> {
  const now = rt.deps.now();
  const leaseMs = ctx.leaseMs ?? LEASE_MS;
  let op = await rt.operations.claimOpen(app.id, ctx.owner, now, leaseMs);
  if (!op) return;
  // Just leased: resuming a stored plan, the first round needs no renewal (nor its terminate flag: the claim read it).
  let claimed: { terminate: boolean } | undefined = { terminate: op.terminateRequested };
  const dryRun = op.operation.sync.dryRun;
  const watch = await rt.clusters.get(app.clusterName);
  if ('error' in watch) return finishOperation(rt, app, op, 'Error', `cluster "${app.clusterName}": ${watch.error}`);
  // Argo CD: a sync whose destination cannot be read ends in Error (retried per syncPolicy.retry), never waits on it.
  const down = watch.unreachable();
  if (down) return finishOperation(rt, app, op, 'Error', unreachableMessage(app.clusterName, down));

  let plan = parseStoredPlan(op.plan);
  let progress = parseStoredProgress(op.progress);
  if (!plan) {
    // Not started yet: a sync window may hold it (Argo CD: "Sync operation blocked by sync window").
    const held = await windowHolds(rt, app, Boolean(op.operation.initiatedBy.automated));
    if (held) {
      if (op.message !== held) await rt.operations.save(op.id, { message: held });
      await rt.operations.releaseLease(op.id);
      return;
    }
    const prepared = await prepareOperation(rt, app, watch, op.operation, op.startedAt);
    if (!prepared.ok) return finishOperation(rt, app, op, prepared.phase ?? 'Error', prepared.message);
    plan = prepared.plan;
    progress = { results: {}, health: {} };
    await rt.operations.save(op.id, { plan, progress, revision: prepared.sha, steps: stepsOf(plan, progress) });
    op = { ...op, revision: prepared.sha };
    // Preparing took time (a fetch, a render): the lease is renewed, and a terminate asked meanwhile seen, before
    // anything is applied.
    claimed = undefined;
  }
  const validate = ![...app.spec.syncPolicy.syncOptions, ...op.operation.sync.syncOptions].includes('Validate=false');
  let lastMessage = op.message;
  const watchesAnything = observedTasks(plan).length > 0;
  // After a wave is applied the app is refreshed, once the operation goes on (waits, next wave) or ends without a
  // refresh of its own; a Succeeded end asks for one itself (as Argo CD refreshes an app when its operation completes),
  // so a single-wave sync costs one refresh, not two.
  let refreshOwed = false;
  const settleRefresh = async () => {
    if (refreshOwed) await rt.apps.requestRefresh(app.id);
    refreshOwed = false;
  };
  if (dryRun) {
    progress = await dryRunAll(watch, plan, validate, rt.deps.now);
    const failed = Object.values(progress.results).some((r) => r.status === 'SyncFailed');
    const results = resultsOf(plan, progress);
    return finishOperation(
      rt,
      app,
      { ...op, results },
      failed ? 'Failed' : 'Succeeded',
      failed ? 'one or more objects failed to apply (dry run)' : 'successfully synced (dry run)',
      { progress, results, steps: stepsOf(plan, progress) },
    );
  }

  for (;;) {
    if (ctx.stopping()) {
      await settleRefresh();
      await rt.operations.releaseLease(op.id);
      return;
    }
    const fresh = claimed ?? (await rt.operations.renewLease(op.id, ctx.owner, leaseMs));
    claimed = undefined;
    if (!fresh) return void (await settleRefresh()); // the lease was lost (this process stalled); the new owner carries on
    const seen = await observe(watch, plan, progress);
    const unreachable = seen.unreachable ?? watch.unreachable();
    if (unreachable && !fresh.terminate) {
      await settleRefresh();
      return finishOperation(rt, app, op, 'Error', unreachableMessage(app.clusterName, unreachable));
    }
    progress = { ...seen.progress, terminate: fresh.terminate };
    const action = nextSyncAction(plan, progress);
    if (!(action.kind === 'done' && action.phase === 'Succeeded' && !fresh.terminate)) await settleRefresh();

    if (action.kind === 'done') {
      await deleteHooks(watch.client, action.deleteHooks);
      const results = resultsOf(plan, progress);
      return finishOperation(
        rt,
        app,
        { ...op, results, terminateRequested: fresh.terminate },
        fresh.terminate ? 'Failed' : action.phase,
        action.message,
        { progress, results, steps: stepsOf(plan, progress) },
      );
    }
    if (action.kind === 'wait') {
      const message = fresh.terminate ? 'Terminating' : action.reason;
      if (message !== lastMessage) {
        lastMessage = message;
        await rt.operations.save(op.id, { message, phase: fresh.terminate ? 'Terminating' : 'Running' });
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
      continue;
    }
    const label = action.kind === 'apply-wave' ? `${action.phase} wave ${action.wave}` : 'SyncFail hooks';
    const results = await runTasks(watch.client, action.tasks, {
      dryRun,
      validate,
      now: rt.deps.now,
      applied: (desired, live) => rememberApplied(rt.dryRuns, desired, live, validate),
    });
    progress = { ...progress, results: { ...progress.results, ...results } };
    refreshOwed = true;
    // The last wave of a sync that reads nothing more (no hooks, prunes or health gates): its end, next round, writes
    // the progress with the phase, so one write is saved. A controller dying between re-applies the wave (idempotent).
    if (!watchesAnything && nextSyncAction(plan, progress).kind === 'done') continue;
    lastMessage = `applied ${label}`;
    await rt.operations.save(op.id, {
      progress,
      message: lastMessage,
      results: resultsOf(plan, progress),
      steps: stepsOf(plan, progress),
    });
  }
}
