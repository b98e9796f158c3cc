import os from 'node:os';
import path from 'node:path';
import { keysDir } from '@/lib/adapters/keys/key-files';
import { imageConfigResolverFromEnv } from '@/lib/adapters/registry';
import { env, EnvError } from '@/lib/env';
import { allowLocalRepos } from '@/lib/server/gitops/gitops-context';
import { renderSandboxConfig } from '@/lib/server/gitops/render-sandbox-config';
import { createKeyring, keyringSettings } from '@/lib/server/security/keyring';
import { runWorkers } from './run-workers';

/** Entry point of the worker process: `tsx workers/main.ts`, started by `npm start` or on its own. */
async function main() {
  const e = env();
  const dataDir = path.resolve(e.KEELSON_DATA_DIR);
  const keyring = createKeyring(keyringSettings(e, keysDir(dataDir)));
  const sealing = keyring.sealingKeys().length > 0;
  if (!e.DATABASE_URL) throw new EnvError('Invalid configuration:\n  DATABASE_URL: required for the worker process.');
  const workers = await runWorkers({
    databaseUrl: e.DATABASE_URL,
    housekeepingCron: e.KEELSON_HOUSEKEEPING_CRON,
    deliveryRetentionDays: e.KEELSON_DELIVERY_RETENTION_DAYS,
    logRetentionDays: e.KEELSON_LOG_RETENTION_DAYS,
    runRetention: e.KEELSON_RUN_RETENTION,
    heartbeatFile: path.join(os.tmpdir(), 'keelson-workers-heartbeat'),
    pipelines: sealing
      ? {
          dataDir,
          box: keyring.box,
          concurrency: e.KEELSON_WORKER_CONCURRENCY,
          sandboxReadOnlyPaths: e.KEELSON_SANDBOX_READONLY_PATHS,
          allowUnsandboxed: e.KEELSON_ALLOW_UNSANDBOXED === 'true',
          stepNetwork: e.KEELSON_STEP_NETWORK,
          stepDenyCidrs: e.KEELSON_STEP_DENY_CIDRS,
          stepUser: e.KEELSON_STEP_USER,
          host: { spawner: e.KEELSON_STEP_SPAWNER, stepNice: e.KEELSON_STEP_NICE, searchPath: e.PATH },
          keepFinishedFoldersMs: e.KEELSON_KEEP_TASKRUN_FOLDERS_MINUTES * 60_000,
          kubernetes: {
            envCluster: e.KEELSON_PIPELINE_CLUSTER,
            images: { entrypoint: e.KEELSON_ENTRYPOINT_IMAGE, shell: e.KEELSON_SHELL_IMAGE },
            imageConfig: imageConfigResolverFromEnv(e),
            podPolicy: {
              allowPrivileged: e.KEELSON_ALLOW_PRIVILEGED_PODS === 'true',
              allowedRuntimeClasses: e.KEELSON_POD_RUNTIME_CLASSES,
              allowedSchedulers: e.KEELSON_POD_SCHEDULERS,
              allowedPriorityClasses: e.KEELSON_POD_PRIORITY_CLASSES,
            },
          },
        }
      : undefined,
    gitops: sealing
      ? {
          dataDir,
          box: keyring.box,
          allowLocalRepos: allowLocalRepos(e),
          privateRepoHosts: e.KEELSON_ALLOW_PRIVATE_REPO_HOSTS,
          concurrency: e.KEELSON_CONTROLLER_CONCURRENCY,
          ignoreResourceUpdates: e.KEELSON_IGNORE_RESOURCE_UPDATES === 'true',
          leaseSeconds: e.KEELSON_CONTROLLER_LEASE_SECONDS,
          resyncSeconds: e.KEELSON_APP_RESYNC_SECONDS,
          helmBin: e.KEELSON_HELM_BIN,
          kustomizeBin: e.KEELSON_KUSTOMIZE_BIN,
          toolCacheDir: e.KEELSON_CACHE_DIR,
          renderSandbox: renderSandboxConfig(e),
        }
      : undefined,
  });
  if (!sealing)
    console.warn(
      "[workers] no sealing key (KEELSON_SEALING_KEYS, the data dir's keys/sealing.keys or KEELSON_SECRET_KEY): pipeline workers and the gitops controller are off.",
    );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[workers] ${signal}: finishing current jobs`);
    await workers.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
});
