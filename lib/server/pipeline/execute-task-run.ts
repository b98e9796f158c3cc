import path from 'node:path';
import { hydratePlan, secretsReferenced } from '@/lib/domain/pipeline/hydrate-plan';
import type { ExecutionHooks, LogLine, TaskRunExecutor, TaskRunOutcome } from '@/lib/domain/pipeline/task-run-plan';
import { ZStoredPlan, ZTaskRunStatus, type TStoredPlan } from '@/lib/domain/pipeline/stored-schemas';
import { finishedTaskRunState } from '@/lib/domain/pipeline/succeeded-condition';
import { finishedTaskRunStatus } from '@/lib/domain/pipeline/task-run-status';
import type { SecretBox } from '../security/secret-box';
import { loadCompanions } from './companion-data';
import type { CompletedTaskRun, PipelineDeps, TaskRunStore, TaskRunRow } from './ports';
import { DEFAULT_LEASE_MS } from './task-run-lease';
import { taskRunFolder } from '@/lib/domain/pipeline/run-folders';
import { retryTransient } from './retry-transient';
import { dbErrorSummary } from '@/lib/domain/error-message';
import { claimRoute, executorFor, notStarted, type KubernetesChoice } from './task-run-executors';

export interface ExecutionContext {
  deps: PipelineDeps;
  /** Leases, outcomes and logs of TaskRuns. */
  store: TaskRunStore;
  /** The local executor. */
  executor: TaskRunExecutor;
  /** The Kubernetes executor as the setting is now (undefined: no cluster set); read for each TaskRun. */
  kubernetes?: () => KubernetesChoice;
  /** Opens the Secrets a plan refers to, right before it runs (plans never hold their values). */
  box: SecretBox;
  /** Identifies this worker in leases, e.g. `host:pid`. */
  owner: string;
  /** Folder under which each TaskRun gets its working folder. */
  runsDir: string;
  leaseMs?: number;
  /** How often the lease is renewed and a cancel request looked for. */
  heartbeatMs?: number;
}

/** Declared result types travel with the plan so the status can parse array and object results. */
export type StoredPlan = TStoredPlan;

/**
 * Writes log batches one after another, so chunks keep their order even when the database is slow; a batch is tried
 * again while the database is away (for up to `retryMs`), so a Postgres restart loses no lines.
 */
function serialLogWriter(store: TaskRunStore, taskRunId: string, retryMs: number) {
  let chain: Promise<void> = Promise.resolve();
  return {
    push(lines: LogLine[]) {
      chain = chain
        .then(() => retryTransient(() => store.appendLogs(taskRunId, lines), { forMs: retryMs }))
        .catch((err: unknown) => console.error(`[executor] log write failed: ${dbErrorSummary(err)}`));
      return chain;
    },
    flushed: () => chain,
  };
}

/**
 * Claims one TaskRun, runs it with the executor while renewing its lease, stores logs and the outcome.
 * Returns the finished row, or undefined when someone else owns (or already finished) it.
 */
export async function executeTaskRun(ctx: ExecutionContext, taskRunId: string): Promise<CompletedTaskRun | undefined> {
  const route = claimRoute(ctx.kubernetes?.());
  const [row] = await ctx.store.claim([taskRunId], ctx.owner, ctx.leaseMs ?? DEFAULT_LEASE_MS, route);
  return row && runClaimedTaskRun(ctx, row);
}

/**
 * The stored plan with its Secret values, in memory only, and the Secrets loaded (a pod's executor takes what the
 * hydrated plan does not carry from them: a sidecar's or podTemplate's env); a failed outcome when a Secret is gone.
 */
async function planToRun(
  ctx: ExecutionContext,
  stored: StoredPlan,
  project: string,
): Promise<{ plan: StoredPlan; secrets: Record<string, Record<string, string>> } | { failed: TaskRunOutcome }> {
  const names = secretsReferenced(stored);
  // The TaskRun's project's Secrets only: another project's are as good as missing.
  const companions = await loadCompanions(
    ctx.deps.stores.companions,
    ctx.box,
    { configMaps: [], secrets: names },
    project,
  );
  const hydrated = hydratePlan(stored, companions.secrets);
  if (hydrated.ok) return { plan: hydrated.plan, secrets: companions.secrets };
  return {
    failed: { status: 'Failed', reason: 'Failed', message: hydrated.message, steps: [], results: {}, sandbox: 'none' },
  };
}

/** Runs a TaskRun this worker has claimed (see claimTaskRuns) to its end; undefined if the lease was lost meanwhile. */
export async function runClaimedTaskRun(ctx: ExecutionContext, row: TaskRunRow): Promise<CompletedTaskRun | undefined> {
  const leaseMs = ctx.leaseMs ?? DEFAULT_LEASE_MS;
  const stored = ZStoredPlan.parse(row.plan);
  const startedAt = row.startedAt ?? ctx.deps.now();
  const abort = new AbortController();
  const beat = setInterval(
    () => {
      ctx.store.renewLease(row.id, ctx.owner, leaseMs).then(
        ({ held, cancelRequested }) => {
          if (!held || cancelRequested) abort.abort();
        },
        (err: Error) => console.error(`[executor] lease renewal failed: ${err.message}`),
      );
    },
    ctx.heartbeatMs ?? Math.min(1000, leaseMs / 3),
  );
  const logs = serialLogWriter(ctx.store, row.id, leaseMs);
  try {
    // A retry starts from fresh folders, as a new pod would: no results or step files of the failed attempt.
    // The executor creates it (with its own folders inside, in one go).
    const workDir = path.join(ctx.runsDir, taskRunFolder(row.name, row.attempt));
    const ready = await planToRun(ctx, stored, row.project);
    const plan = 'plan' in ready ? ready.plan : stored;
    // The PipelineRun from the row, not the plan's tekton.dev/pipelineRun label (a TaskRun's labels override that).
    const run =
      row.executor === 'kubernetes' && row.pipelineRunId
        ? await ctx.deps.stores.runs.findById(row.pipelineRunId)
        : undefined;
    const where = executorFor(row, ctx.executor, ctx.kubernetes?.(), run?.name, run?.id);
    const hooks: ExecutionHooks = {
      onLogs: (lines) => void logs.push(lines),
      signal: abort.signal,
      // Recorded at once, so that if this worker dies the lease reaper finds the pod to delete.
      onPodCreated: (pod) => ctx.store.recordPod(row.id, ctx.owner, pod),
    };
    const outcome = !('plan' in ready)
      ? ready.failed
      : 'failed' in where
        ? notStarted(plan, where.failed)
        : where.kind === 'kubernetes'
          ? await where.executor.run(plan, workDir, hooks, { ...where.target, secrets: ready.secrets })
          : await where.executor.run(plan, workDir, hooks);
    await logs.flushed();
    const stepResultTypes = Object.fromEntries(
      plan.steps.map((s) => [s.name, Object.fromEntries((s.results ?? []).map((r) => [r.name, r.type]))]),
    );
    const status = finishedTaskRunStatus(
      outcome,
      startedAt,
      ctx.deps.now(),
      plan.resultTypes ?? {},
      plan.images ?? {},
      stepResultTypes,
    );
    // Keep the history of earlier attempts that a retry put on the row.
    const { retriesStatus } = ZTaskRunStatus.parse(row.status);
    if (retriesStatus?.length) Object.assign(status, { retriesStatus });
    if (outcome.pod) status.podName = outcome.pod.name;
    const state = finishedTaskRunState(outcome);
    // Stored even if the database is restarting right now: within the lease, no other worker takes the TaskRun over.
    return await retryTransient(() => ctx.store.complete(row.id, ctx.owner, { state, status }), {
      forMs: leaseMs,
      onRetry: (err) =>
        console.error(`[executor] storing the outcome of ${row.name} failed, trying again: ${dbErrorSummary(err)}`),
    });
  } finally {
    clearInterval(beat);
  }
}
