import path from 'node:path';
import type { DbHandle } from '@/lib/adapters/db/client';
import { createExecutorSettingStore } from '@/lib/adapters/db/executor-setting-store';
import { executorPolicyFrom } from './pipeline/executor-override';
import { createGitopsStores } from '@/lib/adapters/db/gitops-stores';
import { createPipelineStores } from '@/lib/adapters/db/pipeline-stores';
import { createServiceStores, type ServiceStores } from '@/lib/adapters/db/service-stores';
import type { RepoMirrors } from '@/lib/adapters/git';
import type { JqRunner } from '@/lib/adapters/jq';
import type { Boss } from '@/lib/adapters/queue/boss';
import { pgBossPipelineJobs } from '@/lib/adapters/queue/pipeline-jobs';
import { createManifestRenderer, type RenderCache, type RenderTools } from '@/lib/adapters/render';
import type { TEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import type { AccessDeps } from './access/ports';
import type { Deps } from './deps';
import type { GitopsDeps } from './gitops/ports';
import type { PipelineDeps, RunControlDeps } from './pipeline/ports';
import type { EngineDeps } from './pipeline/reconcile-pipeline-run';
import type { PipelineSettingsDeps } from './pipeline/pipeline-settings';
import type { PreviewRuntime } from './gitops/preview-revision';
import type { Keyring } from './security/keyring';
import type { SecretBox } from './security/secret-box';
import type { PodLogDeps, StreamSlots } from './gitops/pod-ports';
import { connectPodReader } from '@/lib/adapters/k8s/pod-logs';
import { readSupervisorState } from '@/lib/adapters/system/supervisor-state-file';
import type { SupervisorState } from '@/lib/domain/system/supervisor-state';

/**
 * What the web process's routes, pages and proxy share: built once by its composition root
 * (createWebContext, called by server.ts at start-up) and read here. Members that reach another
 * system (the pool, pg-boss, the key files) connect on first use, as a request may never need them.
 */
export interface WebContext {
  /** The configuration the process started with (lib/env.ts). */
  readonly env: TEnv;
  /** The clock every service of this process is given. */
  now(): Date;
  /** The database pool; throws UNAVAILABLE when DATABASE_URL is not set. */
  db(): DbHandle;
  /** The pg-boss client, started on first use (and again after a failed start). */
  queue(): Promise<Boss>;
  /** Sealing and session keys, from the environment and the data dir's key files. */
  keyring(): Keyring;
  /** The web process's repository mirrors, under KEELSON_DATA_DIR/repos. */
  repoMirrors(): RepoMirrors;
  /** Renders of previewed revisions (the rollback dialog's diffs). */
  readonly renderCache: RenderCache;
  /** helm and kustomize, and how they are confined. */
  readonly renderTools: RenderTools;
  /** The jq worker thread that checks and applies ignoreDifferences expressions. */
  readonly jq: JqRunner;
  /** Pod log streams open now, followed or not, per principal and in all (GET /api/v1/applications/{name}/logs). */
  readonly podLogStreams: StreamSlots;
  /** Followed pod log streams open now, per principal (…/logs?follow=true); each also holds a podLogStreams slot. */
  readonly podLogFollows: StreamSlots;
}

/**
 * Where the context is kept: on globalThis, because Next.js bundles each route (and the proxy) with its
 * own copy of this module, and the custom server that builds the context runs from yet another; the
 * global object is the one thing they all share in one process. Only this file reads or writes it.
 */
const HOLDER = globalThis as typeof globalThis & { __keelsonWebContext?: WebContext };

/** Called once by the web process's composition root (server.ts), before Next.js serves anything. */
export function installWebContext(ctx: WebContext): void {
  HOLDER.__keelsonWebContext = ctx;
}

/** The web process's context, as its composition root built it. */
export function webContext(): WebContext {
  const ctx = HOLDER.__keelsonWebContext;
  if (!ctx)
    throw new AppError(
      'UNAVAILABLE',
      'The web server was not started through its entry point. Start Keelson with `npm start`, which builds its context.',
    );
  return ctx;
}

/**
 * The database and clock, with the pipeline stores on that database (their jobs go to pg-boss) and the
 * auth, token, audit and housekeeping stores.
 */
export function deps(): Deps & PipelineDeps & GitopsDeps & ServiceStores {
  const ctx = webContext();
  const db = ctx.db().db;
  const now = () => ctx.now();
  return {
    db,
    now,
    stores: createPipelineStores(db, now, pgBossPipelineJobs(queue)),
    executorPolicy: executorPolicyFrom(createExecutorSettingStore(db, now), ctx.env.KEELSON_PIPELINE_CLUSTER),
    gitops: createGitopsStores(db, now),
    ...createServiceStores(db, now),
  };
}

export function dbPool() {
  return webContext().db().pool;
}

/** What `npm start`'s supervisor last said of its children (undefined when the web server runs without it). */
export function supervisorState(): Promise<SupervisorState | undefined> {
  const file = webContext().env.KEELSON_SUPERVISOR_STATE_FILE;
  return file ? readSupervisorState(file) : Promise.resolve(undefined);
}

/** Seals secrets at rest with the newest sealing key; opens values sealed with any key the keyring holds. */
export function secrets(): SecretBox {
  const ring = webContext().keyring();
  if (ring.sealingKeys().length === 0)
    throw new AppError(
      'UNAVAILABLE',
      'No sealing key is configured. Start Keelson with `npm start`, which creates one, or set KEELSON_SEALING_KEYS.',
    );
  return ring.box;
}

export function queue(): Promise<Boss> {
  return webContext().queue();
}

/** Deps of the use cases that start or change pipeline runs: their jobs are queued in their transaction. */
export function runControlDeps(): RunControlDeps & AccessDeps {
  return deps();
}

/** The pipeline engine's dependencies in the web process (run and volume folders under KEELSON_DATA_DIR). */
export function engineDeps(): EngineDeps & AccessDeps {
  const e = webContext().env;
  const dataDir = path.resolve(e.KEELSON_DATA_DIR);
  return {
    ...deps(),
    box: secrets(),
    runsDir: path.join(dataDir, 'runs'),
    volumesDir: path.join(dataDir, 'volumes'),
    stepUser: e.KEELSON_STEP_USER,
  };
}

/** What previews of a sync to another revision use (the rollback dialog's diff). */
export function previewRuntime(): PreviewRuntime {
  const ctx = webContext();
  return {
    mirrors: ctx.repoMirrors(),
    renderCache: ctx.renderCache,
    renderer: createManifestRenderer(ctx.renderTools),
    jq: ctx.jq,
  };
}

/** The web process's repository mirrors (the controller keeps its own). */
export function repoMirrors(): RepoMirrors {
  return webContext().repoMirrors();
}

/** What the pod logs routes use: the gitops stores and access, the app's cluster, and the log and follow slots. */
export function podLogDeps(): PodLogDeps {
  return {
    ...deps(),
    box: secrets(),
    podClusters: { connect: connectPodReader },
    logSlots: webContext().podLogStreams,
    followSlots: webContext().podLogFollows,
  };
}

/** What Settings → Pipelines reads and writes: the `pipelines.executor` setting, the clusters, the env's override. */
export function pipelineSettingsDeps(): PipelineSettingsDeps {
  const ctx = webContext();
  const d = deps();
  return {
    access: d.access,
    executorSettings: createExecutorSettingStore(d.db, d.now),
    clusters: d.gitops.clusters,
    envCluster: ctx.env.KEELSON_PIPELINE_CLUSTER,
  };
}
