import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPipelineStores } from '@/lib/adapters/db/pipeline-stores';
import { createLocalExecutor, createLocalHost, type LocalHostOptions } from '@/lib/adapters/executors/local';
import { QUEUES, type Boss } from '@/lib/adapters/queue/boss';
import { pgBossPipelineJobs } from '@/lib/adapters/queue/pipeline-jobs';
import { dbErrorSummary } from '@/lib/domain/error-message';
import type { Deps } from '@/lib/server/deps';
import { createPipelineEngine, type PipelineEngine } from '@/lib/server/pipeline/pipeline-engine';
import { pruneRunFolders } from '@/lib/server/pipeline/prune-run-folders';
import type { SecretBox } from '@/lib/server/security/secret-box';
import { pipelineCluster, type PipelineClusterOptions } from './pipeline-cluster';

export interface PipelineWorkerOptions {
  dataDir: string;
  /** Opens sealed Secrets (the process keyring's box). */
  box: SecretBox;
  concurrency: number;
  /** Host paths steps may read inside the sandbox (KEELSON_SANDBOX_READONLY_PATHS). */
  sandboxReadOnlyPaths?: readonly string[];
  /** Run steps unsandboxed when no sandbox works (KEELSON_ALLOW_UNSANDBOXED); otherwise such TaskRuns fail. */
  allowUnsandboxed?: boolean;
  /** Steps' network (KEELSON_STEP_NETWORK). */
  stepNetwork?: 'outbound' | 'none';
  /** Ranges steps never reach (KEELSON_STEP_DENY_CIDRS). */
  stepDenyCidrs?: readonly string[];
  /** Host user steps run as when the worker runs as root (KEELSON_STEP_USER). */
  stepUser?: string;
  /** The process's step spawner (KEELSON_STEP_SPAWNER, KEELSON_STEP_NICE) and PATH. */
  host?: LocalHostOptions;
  tickMs?: number;
  leaseMs?: number;
  /** How long a finished TaskRun of a PipelineRun keeps its scratch folder (default one hour). */
  keepFinishedFoldersMs?: number;
  /** How often run folders nobody needs are removed (default every ten minutes). */
  pruneEveryMs?: number;
  /**
   * The Kubernetes executor's side: KEELSON_PIPELINE_CLUSTER (wins over Settings → Pipelines), the entrypoint and
   * shell images, and the image config lookups (registry mirrors). Without it, TaskRuns only run locally.
   */
  kubernetes?: Omit<PipelineClusterOptions, 'log'>;
  /** How often the `pipelines.executor` setting is read again (default 5 s). */
  settingRefreshMs?: number;
  log: (line: string) => void;
}

/**
 * Up to `max` queued TaskRuns, their jobs completed at once: the claim (a lease) is what holds a TaskRun, and one left
 * pending by a worker that died in between goes back on the queue with the tick.
 */
async function takeQueuedTaskRuns(boss: Boss, max: number): Promise<string[]> {
  const jobs = await boss.fetch<{ taskRunId: string }>(QUEUES.executeTaskRun, { batchSize: max });
  if (jobs.length > 0)
    await boss.complete(
      QUEUES.executeTaskRun,
      jobs.map((j) => j.id),
    );
  return jobs.map((j) => j.data.taskRunId);
}

/** Wires the pipeline engine to pg-boss: reconcile and execute jobs, plus the periodic tick. */
export async function registerPipelineWorker(
  boss: Boss,
  deps: Deps,
  o: PipelineWorkerOptions,
): Promise<{ engine: PipelineEngine; stop(): void }> {
  const readOnly = o.sandboxReadOnlyPaths ?? [];
  // This process's one spawner helper, folder pool and network pools.
  const host = createLocalHost(o.host);
  const executor = createLocalExecutor(host, {
    extraReadOnlyPaths: readOnly,
    hiddenPaths: [path.resolve(o.dataDir)],
    allowUnsandboxed: o.allowUnsandboxed,
    stepNetwork: o.stepNetwork,
    stepDenyCidrs: o.stepDenyCidrs,
    stepUser: o.stepUser,
    onHookError: (e) => o.log(`[pipelines] ${String(e)}`),
  });
  const sandbox = await executor.sandboxStatus();
  if (sandbox.error) o.log(`[pipelines] ERROR: ${sandbox.error}`);
  if (sandbox.warning) o.log(`[pipelines] WARNING: ${sandbox.warning}`);
  for (const p of readOnly)
    if (!existsSync(p))
      o.log(
        `[pipelines] WARNING: KEELSON_SANDBOX_READONLY_PATHS lists ${p}, which does not exist; steps will not see it.`,
      );
  const runsDir = path.join(o.dataDir, 'runs');
  const stores = createPipelineStores(
    deps.db,
    deps.now,
    pgBossPipelineJobs(() => boss),
  );
  const cluster = o.kubernetes
    ? pipelineCluster(deps, o.box, { stepDenyCidrs: o.stepDenyCidrs, ...o.kubernetes, log: o.log })
    : undefined;
  await cluster
    ?.refresh()
    .catch((err: Error) => o.log(`[pipelines] reading Settings → Pipelines failed: ${dbErrorSummary(err)}`));
  const engine = createPipelineEngine({
    ed: {
      now: deps.now,
      stores,
      box: o.box,
      runsDir,
      volumesDir: path.join(o.dataDir, 'volumes'),
      stepUser: o.stepUser,
    },
    store: stores.taskRuns,
    executor,
    kubernetes: cluster?.current,
    owner: `${os.hostname()}:${process.pid}`,
    concurrency: o.concurrency,
    leaseMs: o.leaseMs,
    enqueue: async (taskRunId) => void (await boss.send(QUEUES.executeTaskRun, { taskRunId })),
    nextQueued: (max) => takeQueuedTaskRuns(boss, max),
    log: o.log,
  });
  await boss.work<{ runId: string }>(QUEUES.reconcilePipelineRun, { pollingIntervalSeconds: 0.5 }, async ([job]) =>
    engine.advance(job.data.runId),
  );
  // Queued TaskRuns are taken only into free slots (the engine asks for them when a slot frees, and every half
  // second): a worker with its slots full leaves them to one that has room, rather than holding their jobs.
  const poller = setInterval(() => void engine.pull(), 500);
  let ticking = false;
  const timer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    engine
      .tick()
      .catch((err: Error) => o.log(`[pipelines] tick failed: ${dbErrorSummary(err)}`))
      .finally(() => (ticking = false));
  }, o.tickMs ?? 2000);
  // Each worker machine has its own run folders, so each worker sweeps them (not a queued job that one worker takes).
  const prune = () =>
    pruneRunFolders({ now: deps.now, stores }, { runsDir, keepFinishedMs: o.keepFinishedFoldersMs ?? 3_600_000 })
      .then(
        ({ removed }) => removed.length && o.log(`[pipelines] removed ${removed.length} run folders no longer needed`),
      )
      .catch((err: Error) => o.log(`[pipelines] pruning run folders failed: ${dbErrorSummary(err)}`));
  const pruner = setInterval(prune, o.pruneEveryMs ?? 600_000);
  pruner.unref();
  // A changed setting (another cluster, namespace or bound) applies to the next TaskRun claimed.
  const follow = setInterval(
    () =>
      void cluster
        ?.refresh()
        .catch((err: Error) => o.log(`[pipelines] reading Settings → Pipelines failed: ${dbErrorSummary(err)}`)),
    o.settingRefreshMs ?? 5000,
  );
  follow.unref();
  const confinement = sandbox.error
    ? 'none: steps will not run'
    : sandbox.sandbox === 'bubblewrap'
      ? `bubblewrap, as ${sandbox.user ?? 'the worker user'}, network ${sandbox.network}`
      : 'none';
  o.log(
    `[pipelines] ready: ${o.concurrency} slots, sandbox ${confinement}${readOnly.length ? ` (read-only: ${readOnly.join(', ')})` : ''}`,
  );
  return {
    engine,
    stop() {
      clearInterval(timer);
      clearInterval(poller);
      clearInterval(pruner);
      clearInterval(follow);
    },
  };
}
