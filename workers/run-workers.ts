import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { connectDb } from '@/lib/adapters/db/client';
import { createPipelineStores } from '@/lib/adapters/db/pipeline-stores';
import { createServiceStores } from '@/lib/adapters/db/service-stores';
import { startBoss } from '@/lib/adapters/queue/boss';
import type { RunRetention } from '@/lib/domain/pipeline/run-retention';
import type { PipelineEngine } from '@/lib/server/pipeline/pipeline-engine';
import { removeRunFoldersNamed } from '@/lib/server/pipeline/prune-run-folders';
import { registerHousekeeping } from './housekeeping';
import { registerGitopsController, type GitopsWorkerOptions } from './gitops';
import { registerPipelineWorker, type PipelineWorkerOptions } from './pipelines';
import type { GitopsController } from '@/lib/server/gitops/controller';

export interface WorkerOptions {
  databaseUrl: string;
  housekeepingCron: string;
  /** Days trigger deliveries are kept (default 14). */
  deliveryRetentionDays?: number;
  /** KEELSON_LOG_RETENTION_DAYS (default 30; 0 keeps logs as long as their run). */
  logRetentionDays?: number;
  /** KEELSON_RUN_RETENTION (default: every run kept). */
  runRetention?: RunRetention;
  /** Touched every few seconds while the workers run, for container health checks. */
  heartbeatFile?: string;
  /** Pipelines: where run folders live, the key for sealed Secrets, and parallel TaskRuns. */
  pipelines?: Omit<PipelineWorkerOptions, 'log'>;
  /** The gitops controller (applications): refresh, auto-sync, sync operations. */
  gitops?: Omit<GitopsWorkerOptions, 'log'>;
  log?: (line: string) => void;
}

export interface RunningWorkers {
  engine?: PipelineEngine;
  gitops?: GitopsController;
  stop(): Promise<void>;
}

/** Starts every worker of this process on one pg-boss instance; `stop` finishes or releases current jobs. */
export async function runWorkers(options: WorkerOptions): Promise<RunningWorkers> {
  const log = options.log ?? ((l: string) => console.log(l));
  const handle = connectDb(options.databaseUrl, { max: 5 + (options.gitops ? options.gitops.concurrency * 2 + 2 : 0) });
  const boss = await startBoss(options.databaseUrl, { schedule: true, supervise: true });
  const deps = { db: handle.db, now: () => new Date() };
  await registerHousekeeping(boss, { ...deps, ...createServiceStores(handle.db, deps.now) }, options.housekeepingCron, {
    deliveryRetentionDays: options.deliveryRetentionDays ?? 14,
    retention: {
      logRetentionDays: options.logRetentionDays ?? 30,
      run: options.runRetention ?? {},
      // Deleted runs' folders on this machine go at once; other machines' at their own folder sweep.
      removeFolders: options.pipelines
        ? (folders) =>
            removeRunFoldersNamed(
              { stores: createPipelineStores(handle.db, deps.now) },
              path.join(options.pipelines!.dataDir, 'runs'),
              folders,
            )
        : undefined,
    },
  });
  const pipelines = options.pipelines
    ? await registerPipelineWorker(boss, deps, { ...options.pipelines, log })
    : undefined;
  const gitops = options.gitops ? registerGitopsController(deps, handle.pool, { ...options.gitops, log }) : undefined;
  log(
    `[workers] ready: housekeeping (${options.housekeepingCron})${pipelines ? ', pipelines' : ''}${gitops ? ', gitops controller' : ''}`,
  );
  const beat = () =>
    options.heartbeatFile && writeFile(options.heartbeatFile, new Date().toISOString()).catch(() => undefined);
  void beat();
  const heartbeat = setInterval(beat, 10_000);
  return {
    engine: pipelines?.engine,
    gitops,
    async stop() {
      clearInterval(heartbeat);
      pipelines?.stop();
      await gitops?.stop();
      // graceful: wait up to 20 s for running handlers; jobs still active after that expire and are retried.
      await boss.stop({ graceful: true, wait: true, timeout: 20_000 });
      await handle.close();
      log('[workers] stopped');
    },
  };
}
