import type pg from 'pg';
import { createGitopsStores } from '@/lib/adapters/db/gitops-stores';
import { createServiceStores } from '@/lib/adapters/db/service-stores';
import { renderSandboxStatus } from '@/lib/adapters/render';
import type { Deps } from '@/lib/server/deps';
import {
  createGitopsController,
  type GitopsController,
  type GitopsControllerOptions,
} from '@/lib/server/gitops/controller';

/** The gitops controller inside the worker process (it needs no queue: Postgres NOTIFY and a scan). */
export function registerGitopsController(
  deps: Deps,
  pool: pg.Pool,
  options: GitopsControllerOptions,
): GitopsController {
  const controller = createGitopsController(
    // The controller acts on its own (no principal); it reads projects for their rules and sync windows.
    { gitops: createGitopsStores(deps.db, deps.now), now: deps.now, ...createServiceStores(deps.db, deps.now) },
    pool,
    options,
  );
  options.log(
    `[gitops] controller ready (concurrency ${options.concurrency}, refresh every ${options.resyncSeconds}s, helm ${controller.runtime.tools.helmBin}, kustomize ${controller.runtime.tools.kustomizeBin})`,
  );
  void renderSandboxStatus(controller.runtime.tools.sandbox ?? {}).then((line) => options.log(`[gitops] ${line}`));
  return controller;
}
