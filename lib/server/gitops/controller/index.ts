/** Builds the gitops controller from configuration: the only entry point workers/ needs. */
import path from 'node:path';
import type pg from 'pg';
import { createRepoMirrors, type PrivateHosts } from '@/lib/adapters/git';
import { JqRunner } from '@/lib/adapters/jq';
import {
  createManifestRenderer,
  createRenderCache,
  findRenderTools,
  type RenderSandboxConfig,
} from '@/lib/adapters/render';
import type { SecretBox } from '../../security/secret-box';
import { startAppController, type AppController } from './app-controller';
import { createDryRunCache } from './compare-app-state';
import { createClusterRegistry, createCommitCache, type ControllerDeps, type ControllerRuntime } from './runtime';
import { createOrphanWatchers } from './orphaned-resources';
import { keepOwnedClusters } from './owned-clusters';
import { joinMembership, wholeShard, type ControllerShard } from './shard';
import type { ControllerMemberStore } from '../ports';

export interface GitopsControllerOptions {
  dataDir: string;
  box: SecretBox;
  allowLocalRepos: boolean;
  /** KEELSON_ALLOW_PRIVATE_REPO_HOSTS; default: all when allowLocalRepos, else none. */
  privateRepoHosts?: PrivateHosts;
  concurrency: number;
  resyncSeconds: number;
  /** KEELSON_IGNORE_RESOURCE_UPDATES (default true): status-only live updates refresh no app. */
  ignoreResourceUpdates?: boolean;
  helmBin?: string;
  kustomizeBin?: string;
  /** Where `npm run cluster:build` leaves helm and kustomize (KEELSON_CACHE_DIR). */
  toolCacheDir?: string;
  /** How helm and kustomize are confined (KEELSON_ALLOW_UNSANDBOXED, KEELSON_RENDER_ALLOWED_HOSTS). */
  renderSandbox?: RenderSandboxConfig;
  scanMs?: number;
  /**
   * Share the apps with the other controllers on this database (membership leases in `members`); without it this
   * controller works on every app alone.
   */
  sharding?: {
    members: ControllerMemberStore;
    host: string;
    pid: number;
    /** KEELSON_CONTROLLER_LEASE_SECONDS: membership and sync operation leases. */
    leaseSeconds: number;
    /** How long an unneeded cluster watch stays open (default 60 s). */
    clusterGraceMs?: number;
    /** How often the unneeded cluster watches are looked for (default 30 s; also at every membership change). */
    clusterSweepMs?: number;
  };
  log: (line: string) => void;
}

export interface GitopsController extends AppController {
  runtime: ControllerRuntime;
  shard: ControllerShard;
}

/**
 * `deps`: the gitops stores, the clock and the project store (the composition root builds them); `pool` holds
 * the LISTEN. The controller acts on its own, never for a user: nothing it does is authorized.
 */
export function createGitopsController(
  deps: ControllerDeps,
  pool: pg.Pool,
  o: GitopsControllerOptions,
): GitopsController {
  const box = o.box;
  // The registry reports live changes to the controller, which is built from the registry.
  const late: { controller?: AppController } = {};
  const clusters = createClusterRegistry(deps, box, (cluster, event) => late.controller?.onLiveChange(cluster, event));
  // Its own mirrors: the web process fetches too, and two processes must not share a bare repo's locks.
  const mirrors = createRepoMirrors({
    cacheDir: path.join(o.dataDir, 'repos', 'controller'),
    allowLocal: o.allowLocalRepos,
    privateHosts: o.privateRepoHosts,
  });
  const tools = findRenderTools({
    helmBin: o.helmBin,
    kustomizeBin: o.kustomizeBin,
    sandbox: o.renderSandbox,
    buildCacheDir: o.toolCacheDir,
  });
  const runtime: ControllerRuntime = {
    deps,
    apps: deps.gitops.apps,
    operations: deps.gitops.operations,
    box,
    mirrors,
    commits: createCommitCache(mirrors),
    renderCache: createRenderCache(),
    tools,
    renderer: createManifestRenderer(tools),
    dryRuns: createDryRunCache(),
    jq: new JqRunner(),
    clusters,
    resyncMs: o.resyncSeconds * 1000,
    orphanWatchers: createOrphanWatchers(),
    log: o.log,
  };
  const sharding = o.sharding;
  const shard = sharding ? joinMembership({ store: sharding.members, ...sharding, log: o.log }) : wholeShard();
  const c = startAppController(runtime, {
    concurrency: o.concurrency,
    pool,
    scanMs: o.scanMs,
    shard,
    operationLeaseMs: sharding && sharding.leaseSeconds * 1000,
    ignoreResourceUpdates: o.ignoreResourceUpdates,
  });
  late.controller = c;
  const owned = sharding
    ? keepOwnedClusters(runtime, shard, {
        graceMs: sharding.clusterGraceMs ?? 60_000,
        periodMs: sharding.clusterSweepMs ?? 30_000,
      })
    : undefined;
  return {
    ...c,
    runtime,
    shard,
    async stop() {
      owned?.stop();
      await c.stop();
      await shard.stop();
      await clusters.stop();
    },
  };
}
