/**
 * A gitops controller as a process of its own, sharing the apps with the other controllers on the database (the
 * membership leases, as workers/gitops.ts wires them), for tests and benchmarks that run several and kill one
 * (`kill -9`) mid-sync.
 *
 *   node --import tsx tests/integration/support/gitops-controller-process.ts
 * Env: CONTROLLER_DATABASE_URL, CONTROLLER_BOX_KEY, CONTROLLER_DATA_DIR, optional CONTROLLER_LEASE_SECONDS (shared,
 * sharded; unset: alone),
 * CONTROLLER_CONCURRENCY (default 8), CONTROLLER_RESYNC_SECONDS (default 180), CONTROLLER_LOG=1 (the controller's log).
 * Prints `member <id>` once it joined, and `refreshed <app>` after each refresh it ran (under the app's refresh lease).
 * SIGTERM stops it gracefully (membership deleted), then it prints `stopped`.
 */
import os from 'node:os';
import { connectDb } from '../../../lib/adapters/db/client';
import { createControllerMemberStore } from '../../../lib/adapters/db/controller-member-store';
import { createGitopsStores } from '../../../lib/adapters/db/gitops-stores';
import { createServiceStores } from '../../../lib/adapters/db/service-stores';
import { createGitopsController } from '../../../lib/server/gitops/controller';
import type { ControllerMemberStore } from '../../../lib/server/gitops/ports';
import { secretBox } from '../../../lib/server/security/secret-box';
import { helmBin, kustomizeBin } from '../../cluster/binaries';

function need(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** The real store, telling stdout which refreshes this process ran. */
export function reportingRefreshes(store: ControllerMemberStore, report: (app: string) => void): ControllerMemberStore {
  return {
    ...store,
    async releaseRefresh(app, owner) {
      report(app);
      await store.releaseRefresh(app, owner);
    },
  };
}

async function main(): Promise<void> {
  const concurrency = Number(process.env.CONTROLLER_CONCURRENCY ?? 8);
  const handle = connectDb(need('CONTROLLER_DATABASE_URL'), { max: concurrency * 2 + 4 });
  const now = () => new Date();
  const deps = { gitops: createGitopsStores(handle.db, now), now, ...createServiceStores(handle.db, now) };
  const out = (line: string) => process.stdout.write(`${line}\n`);
  // The parent gone (its pipe closed): a killed test or benchmark leaves no controller behind.
  process.stdout.on('error', () => process.exit(1));
  const controller = createGitopsController(deps, handle.pool, {
    dataDir: need('CONTROLLER_DATA_DIR'),
    box: secretBox(need('CONTROLLER_BOX_KEY')),
    allowLocalRepos: true,
    concurrency,
    resyncSeconds: Number(process.env.CONTROLLER_RESYNC_SECONDS ?? 180),
    helmBin: helmBin(),
    kustomizeBin: kustomizeBin(),
    scanMs: 200,
    // Without CONTROLLER_LEASE_SECONDS it works on every app alone (one worker process, unsharded).
    sharding: process.env.CONTROLLER_LEASE_SECONDS
      ? {
          members: reportingRefreshes(createControllerMemberStore(handle.db), (app) => out(`refreshed ${app}`)),
          host: os.hostname(),
          pid: process.pid,
          leaseSeconds: Number(process.env.CONTROLLER_LEASE_SECONDS),
          clusterSweepMs: 1_000,
        }
      : undefined,
    log: (line) => process.env.CONTROLLER_LOG && out(line),
  });
  out(`member ${controller.shard.id}`);
  process.on('SIGTERM', () => {
    void controller
      .stop()
      .then(() => handle.close())
      .then(() => {
        out('stopped');
        process.exit(0);
      });
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
