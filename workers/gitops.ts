import os from 'node:os';
import type pg from 'pg';
import { createControllerMemberStore } from '@/lib/adapters/db/controller-member-store';
import { createGitopsStores } from '@/lib/adapters/db/gitops-stores';
import { createServiceStores } from '@/lib/adapters/db/service-stores';
import { renderSandboxStatus } from '@/lib/adapters/render';
import type { Deps } from '@/lib/server/deps';
import {
  createGitopsController,
  type GitopsController,
  type GitopsControllerOptions,
} from '@/lib/server/gitops/controller';

export type GitopsWorkerOptions = Omit<GitopsControllerOptions, 'sharding'> & {
  /** KEELSON_CONTROLLER_LEASE_SECONDS: share the apps with the other controllers on the database. */
  leaseSeconds?: number;
};

/** The gitops controller inside the worker process (it needs no queue: Postgres NOTIFY and a scan). */
export function registerGitopsController(
  deps: Deps,
  pool: pg.Pool,
  { leaseSeconds, ...options }: GitopsWorkerOptions,
): GitopsController {
  const sharding = leaseSeconds
    ? { members: createControllerMemberStore(deps.db), host: os.hostname(), pid: process.pid, leaseSeconds }
    : undefined;
  const controller = createGitopsController(
    // The controller acts on its own (no principal); it reads projects for their rules and sync windows.
    { gitops: createGitopsStores(deps.db, deps.now), now: deps.now, ...createServiceStores(deps.db, deps.now) },
    pool,
    { ...options, sharding },
  );
  options.log(
    `[gitops] controller ${controller.shard.id} ready (concurrency ${options.concurrency}, refresh every ${options.resyncSeconds}s, ${leaseSeconds ? `membership lease ${leaseSeconds}s` : 'alone, unsharded'}, helm ${controller.runtime.tools.helmBin}, kustomize ${controller.runtime.tools.kustomizeBin})`,
  );
  void renderSandboxStatus(controller.runtime.tools.sandbox ?? {}).then((line) => options.log(`[gitops] ${line}`));
  return controller;
}
