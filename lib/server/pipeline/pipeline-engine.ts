import type { TaskRunExecutor } from '@/lib/domain/pipeline/task-run-plan';
import { runClaimedTaskRun, type ExecutionContext } from './execute-task-run';
import { reconcilePipelineRun, type EngineDeps } from './reconcile-pipeline-run';
import type { CompletedTaskRun, TaskRunStore, TaskRunRow } from './ports';
import { DEFAULT_LEASE_MS } from './task-run-lease';
import { endedTaskRunStatus } from './end-run-on-error';
import { isTransientError } from './transient-error';
import { TaskRunReason } from '@/lib/domain/pipeline/reasons';
import { dbErrorSummary } from '@/lib/domain/error-message';
import { namespaceFor } from '@/lib/domain/pipeline/executor-setting';
import { claimRoute, defaultExecutorOf, type KubernetesChoice } from './task-run-executors';
import { freeSlotFiller } from './fill-free-slots';

/** TaskRuns a worker remembers as waiting for room on Kubernetes, and how often each is tried before the tick's turn. */
const MAX_WAITING = 1000;
const MAX_WAITING_TRIES = 5;

export interface PipelineEngineOptions {
  ed: EngineDeps;
  /** TaskRuns' leases, outcomes and logs. */
  store: TaskRunStore;
  /** The local executor. */
  executor: TaskRunExecutor;
  /**
   * The Kubernetes executor as Settings → Pipelines says now (undefined: no cluster set, TaskRuns run locally unless
   * annotated); read at every claim, so a changed setting applies to the next TaskRun.
   */
  kubernetes?: () => KubernetesChoice;
  owner: string;
  /**
   * Local TaskRuns this process runs at once. TaskRuns on Kubernetes take no slot (the worker only waits on their
   * pods): they are bounded by the setting's maxConcurrentTaskRuns across all workers, counted at the claim.
   */
  concurrency: number;
  /** Puts a TaskRun on the shared queue so any worker can take it. */
  enqueue: (taskRunId: string) => Promise<void>;
  /**
   * Takes up to `max` TaskRun ids off the shared queue (their jobs done). The engine asks only for as many as it has
   * free slots, so TaskRuns it cannot start now stay on the queue for a worker that can. Without it (one process),
   * the engine keeps the TaskRuns it could not start yet in its own backlog.
   */
  nextQueued?: (max: number) => Promise<string[]>;
  leaseMs?: number;
  /** How often the tick looks for pods left behind on the cluster (default every minute). */
  sweepEveryMs?: number;
  log?: (line: string) => void;
}

/**
 * The pipeline engine of one worker process. When a TaskRun ends, the same process reconciles its
 * PipelineRun and starts the next TaskRuns itself while it has free slots (no queue round trip on
 * the hot path); every new TaskRun is also queued, so other workers take what this one cannot.
 */
export function createPipelineEngine(opts: PipelineEngineOptions) {
  const running = new Set<string>();
  /** TaskRuns of this process running on Kubernetes (no slot). */
  const remote = new Set<string>();
  /**
   * TaskRuns a claim left pending while the Kubernetes executor was at its bound (or another worker took them), with
   * how often: tried again as soon as a pod of this process ends, a few times, then left to the tick.
   */
  const waiting = new Map<string, number>();
  /** Without a shared queue to take from (nextQueued): TaskRuns dispatched while the slots were full. */
  const backlog: string[] = [];
  /** TaskRuns dispatched again while still running here: a retry reuses the row of the attempt that just ended. */
  const again = new Set<string>();
  /** Slots promised to a reconcile in flight, for the TaskRuns it may create already claimed. */
  let reserved = 0;
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const log = opts.log ?? ((l: string) => console.log(l));
  const ctx: ExecutionContext = {
    deps: opts.ed,
    store: opts.store,
    box: opts.ed.box,
    executor: opts.executor,
    kubernetes: opts.kubernetes,
    owner: opts.owner,
    runsDir: opts.ed.runsDir,
    leaseMs: opts.leaseMs,
  };

  /**
   * Reconciles in flight in this process, by run. When the eight tasks of a fan-in end together,
   * their eight reconciles would queue on the run's row lock one after another, and the task they
   * all wait for would start only after the last; instead, a completion that arrives while one is
   * in flight asks for one more pass, which sees every completion so far.
   */
  const inFlight = new Map<string, { again: boolean; done: Promise<void> }>();

  function advance(runId: string): Promise<void> {
    const current = inFlight.get(runId);
    if (current) {
      current.again = true;
      return current.done;
    }
    const entry = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          await reconcileAndDispatch(runId);
        } while (entry.again);
      } finally {
        inFlight.delete(runId);
      }
    })();
    inFlight.set(runId, entry);
    return entry.done;
  }

  /** Local slots neither running nor reserved. */
  const freeSlots = () => Math.max(0, opts.concurrency - running.size - reserved);

  async function reconcileAndDispatch(runId: string): Promise<void> {
    // The free slots are reserved while the reconcile runs, and the TaskRuns it creates for them come
    // back already claimed by this worker: they start at once (the hot path: no claim, no queue round trip).
    const free = freeSlots();
    reserved += free;
    let result: Awaited<ReturnType<typeof reconcilePipelineRun>> | undefined;
    try {
      const defaultExecutor = defaultExecutorOf(opts.kubernetes?.());
      result = await reconcilePipelineRun(opts.ed, runId, { owner: opts.owner, leaseMs, max: free, defaultExecutor });
    } finally {
      reserved -= free;
      if (!result) void pull();
    }
    for (const row of result.claimed) running.add(row.id);
    void Promise.all(result.claimed.map(runClaimed));
    if (result.ended) cleanUpAfter(result.ended);
    // The rest (retries, or more than the free slots) go on the shared queue for any worker with a free slot (this
    // one takes them from there too, never more than it can start); those that fit in slots freed meanwhile start now.
    const room = freeSlots();
    for (const id of result.dispatch.slice(room)) {
      if (!opts.nextQueued) backlog.push(id);
      await opts.enqueue(id);
    }
    void executeMany(result.dispatch.slice(0, room), { onlyFreeSlots: true, deferUnclaimed: true });
    // Slots this reconcile reserved but did not use (a queued run that waits creates no TaskRun) take queued TaskRuns.
    void pull();
  }

  /** Takes queued TaskRuns into the free slots only (fill-free-slots.ts): when a slot frees, and as the worker polls. */
  const pull = freeSlotFiller({
    freeSlots,
    reserve: (n) => void (reserved += n),
    forPods: () => Boolean(opts.kubernetes?.()?.available),
    nextQueued: opts.nextQueued,
    backlog,
    start: (ids) => void executeMany(ids, { onlyFreeSlots: true, deferUnclaimed: true, awaitPods: !opts.nextQueued }),
    log,
  });

  /** Runs one TaskRun if nobody else has claimed it and a slot is free, then moves its PipelineRun on. */
  function execute(taskRunId: string): Promise<void> {
    return executeMany([taskRunId], { onlyFreeSlots: true, deferUnclaimed: true });
  }

  interface ClaimOptions {
    /** Local TaskRuns only as many as the slots free now (TaskRuns on Kubernetes take none). */
    onlyFreeSlots?: boolean;
    /** What the claim left pending goes back where any worker with a free slot takes it (the queue, or the backlog). */
    deferUnclaimed?: boolean;
    awaitPods?: boolean;
  }

  /** Claims TaskRuns nobody else has (a fan-out's in one statement), runs each, then moves its PipelineRun on. */
  async function executeMany(ids: readonly string[], o: ClaimOptions = {}): Promise<void> {
    const { onlyFreeSlots = false, deferUnclaimed = false, awaitPods = true } = o;
    const maxLocal = onlyFreeSlots ? freeSlots() : undefined;
    const fresh: string[] = [];
    for (const id of ids) {
      if (running.has(id) || remote.has(id)) again.add(id);
      else fresh.push(id);
    }
    if (fresh.length === 0) return;
    for (const id of fresh) running.add(id);
    let rows: TaskRunRow[] = [];
    const route = claimRoute(opts.kubernetes?.(), maxLocal);
    try {
      rows = await opts.store.claim(fresh, opts.owner, leaseMs, route);
    } catch (err) {
      log(`[pipelines] claiming ${fresh.join(', ')} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    const claimed = new Set(rows.map((r) => r.id));
    for (const id of fresh) {
      if (claimed.has(id)) waiting.delete(id);
      else if (route.kubernetes && waiting.size < MAX_WAITING) waiting.set(id, waiting.get(id) ?? 0);
    }
    for (const id of fresh) if (!claimed.has(id)) running.delete(id);
    // Left pending for want of a slot here (or taken by another worker: then the claim there wins, harmlessly).
    const unclaimed = fresh.filter((id) => !claimed.has(id));
    if (deferUnclaimed && maxLocal !== undefined && maxLocal < fresh.length) await defer(unclaimed);
    // A TaskRun on Kubernetes gives its slot back at once and runs on its own; a queue handler (take) does not wait
    // for it either, so a worker drives as many pods as the setting allows, not as many as it has slots.
    const pods = rows.filter((r) => r.executor === 'kubernetes');
    for (const r of pods) {
      running.delete(r.id);
      remote.add(r.id);
    }
    // A slot held for a TaskRun another worker took, or given back by a pod, takes the next queued one.
    if (pods.length > 0 || (unclaimed.length > 0 && freeSlots() > 0)) void pull();
    const onPods = Promise.all(pods.map(runClaimed));
    await Promise.all(rows.filter((r) => r.executor !== 'kubernetes').map(runClaimed));
    if (awaitPods) await onPods;
  }

  /**
   * What a queue handler calls: like execute, but a TaskRun claimed for Kubernetes runs on without the handler
   * waiting for its pod, so the handler takes the next job (pods are bounded by the setting, not by handlers).
   */
  function take(taskRunId: string): Promise<void> {
    return executeMany([taskRunId], { onlyFreeSlots: true, deferUnclaimed: true, awaitPods: false });
  }

  /** TaskRuns a claim left pending for want of a slot: back on the queue for any worker, or on the backlog. */
  async function defer(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      if (!opts.nextQueued) backlog.push(id);
      else await opts.enqueue(id).catch((err: Error) => log(`[pipelines] queueing ${id} again failed: ${err.message}`));
    }
  }

  async function runClaimed(claimed: TaskRunRow): Promise<void> {
    let row: CompletedTaskRun | undefined;
    try {
      row = await runClaimedTaskRun(ctx, claimed);
    } catch (err) {
      log(`[pipelines] TaskRun ${claimed.id} failed in the engine: ${dbErrorSummary(err, { stack: true })}`);
      // An error that would recur (a stored plan that no longer parses…) fails the TaskRun now, with its message,
      // rather than when its lease expires; a transient one is left to the lease (the TaskRun may still be running).
      if (!isTransientError(err)) row = await failClaimed(claimed, err);
    } finally {
      // The TaskRun is over: its slot is free before the reconcile, so a fan-out of `concurrency`
      // tasks that this completion unblocks starts here at once rather than one of them waiting.
      release(claimed.id);
    }
    if (!row?.pipelineRunId) return;
    await advance(row.pipelineRunId).catch((err: unknown) =>
      log(`[pipelines] reconcile ${row.pipelineRunId}: ${dbErrorSummary(err, { stack: true })}`),
    );
  }

  function failClaimed(claimed: TaskRunRow, err: unknown): Promise<CompletedTaskRun | undefined> {
    const message = `The TaskRun could not be run: ${err instanceof Error ? err.message : String(err)}`.slice(0, 4000);
    const status = endedTaskRunStatus('failed', TaskRunReason.Failed, message, opts.ed.now());
    return opts.store.complete(claimed.id, opts.owner, { state: 'failed', status }).catch((e: Error) => {
      log(`[pipelines] TaskRun ${claimed.id}: recording its failure failed: ${e.message}`);
      return undefined;
    });
  }

  /** Frees a slot and fills it: the same TaskRun again if a retry came for it meanwhile, else from the queue. */
  function release(taskRunId: string): void {
    if (remote.delete(taskRunId)) {
      if (again.delete(taskRunId)) void execute(taskRunId);
      retryWaiting();
      return;
    }
    running.delete(taskRunId);
    if (again.delete(taskRunId)) void execute(taskRunId);
    else void pull();
  }

  /** A pod of this process ended, so the Kubernetes executor has room: the TaskRuns that found none try again. */
  function retryWaiting(): void {
    const ids: string[] = [];
    for (const [id, tries] of waiting) {
      if (tries >= MAX_WAITING_TRIES) waiting.delete(id);
      else {
        waiting.set(id, tries + 1);
        ids.push(id);
      }
    }
    if (ids.length > 0) void executeMany(ids, { onlyFreeSlots: true });
  }

  /**
   * Periodic safety net: fail TaskRuns whose worker vanished (lease expired) and reconcile unfinished
   * runs, which is also how pipeline, tasks and finally timeouts fire while tasks are still running.
   */
  async function tick(): Promise<void> {
    const reaped = await opts.store.reapExpired();
    for (const r of reaped) log(`[pipelines] TaskRun ${r.name}: lease expired, marked failed`);
    await deleteOrphanPods(reaped);
    // A TaskRun left pending (its dispatching worker died before claiming it) goes back on the queue. With a cluster
    // set, most pending TaskRuns wait for room under its bound: one claim takes what fits (pods up to the bound, local
    // ones up to this worker's free slots; every worker's tick does the same) instead of a queue job for each.
    const pending = await opts.store.pendingCreatedBefore(new Date(opts.ed.now().getTime() - 5000));
    if (pending.length > 0 && opts.kubernetes?.()?.available)
      void executeMany(pending, { onlyFreeSlots: true, awaitPods: false });
    else for (const id of pending) await opts.enqueue(id);
    const stale = new Date(opts.ed.now().getTime() - 1000);
    for (const id of await opts.store.openRunsCreatedBefore(stale))
      await advance(id).catch((err: Error) => log(`[pipelines] reconcile ${id}: ${err.message}`));
  }

  /** Pods on the cluster whose TaskRun is not running here or anywhere: the live ones are those still running. */
  const isLive = async (taskRunName: string, attempt: number | undefined) => {
    const row = await opts.store.findByName(taskRunName);
    // A pod of an earlier attempt is not live once its TaskRun moved on to a retry.
    return row?.state === 'running' && (attempt === undefined || attempt === row.attempt);
  };
  let lastSweep = 0;

  /**
   * The pods of TaskRuns whose worker died are deleted at once (nobody watches them; their TaskRuns just failed),
   * and every `sweepEveryMs` any pod left behind (a worker killed between creating a pod and recording it).
   */
  async function deleteOrphanPods(reaped: TaskRunRow[]): Promise<void> {
    const k8s = opts.kubernetes?.();
    if (!k8s?.available || !k8s.sweepOrphanPods) return;
    const namespaces = [
      ...new Set(reaped.flatMap((r) => (r.executor === 'kubernetes' && r.podNamespace ? [r.podNamespace] : []))),
    ];
    const due = opts.ed.now().getTime() - lastSweep >= (opts.sweepEveryMs ?? 60_000);
    if (namespaces.length === 0 && !due) return;
    if (due) lastSweep = opts.ed.now().getTime();
    await k8s.sweepOrphanPods(isLive, due ? undefined : namespaces).then(
      (pods) => pods.length > 0 && log(`[pipelines] deleted ${pods.length} pod(s) whose TaskRun no longer runs`),
      (err: Error) => log(`[pipelines] deleting pods left behind failed: ${err.message}`),
    );
  }

  /** A PipelineRun ended: its volumeClaimTemplate claims go (Tekton deletes them with the run). */
  function cleanUpAfter(run: { id: string; name: string; project: string }): void {
    const k8s = opts.kubernetes?.();
    if (!k8s?.available || !k8s.deleteRunClaims) return;
    const namespace = namespaceFor(k8s.namespaceTemplate, run.project);
    if (!namespace) return;
    k8s
      .deleteRunClaims({ namespace, project: run.project, pipelineRunName: run.name, pipelineRunUid: run.id })
      .catch((err: Error) => log(`[pipelines] deleting the claims of ${run.name} failed: ${err.message}`));
  }

  return { advance, execute, take, pull, tick, runningCount: () => running.size, remoteCount: () => remote.size };
}

export type PipelineEngine = ReturnType<typeof createPipelineEngine>;
