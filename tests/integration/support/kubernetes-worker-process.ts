/**
 * A pipeline worker as a process of its own, for tests that kill it (`kill -9`) mid-run: the engine with the
 * Kubernetes executor wired as workers/pipeline-cluster.ts wires it (Settings → Pipelines on the registered cluster,
 * read from the test database), as the cluster tests' in-process harness builds it. It moves one PipelineRun on
 * (claiming and running its TaskRuns), then stays up until killed; it never ticks, so it reaps nobody.
 *
 *   node --import tsx tests/integration/support/kubernetes-worker-process.ts
 * Env: WORKER_DATABASE_URL, WORKER_BOX_KEY, WORKER_REGISTRY (127.0.0.1:<port>), WORKER_OWNER, WORKER_LEASE_MS,
 * WORKER_PIPELINE_RUN (id), optionally WORKER_DATA_DIR (runs/ and volumes/ there). Without a cluster set for
 * pipelines it runs the local executor (tests/integration/worker-killed-local.test.ts). Prints the engine's log
 * lines and `advanced` on stdout.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connectDb } from '../../../lib/adapters/db/client';
import { createExecutorSettingStore } from '../../../lib/adapters/db/executor-setting-store';
import { createGitopsStores } from '../../../lib/adapters/db/gitops-stores';
import { createPipelineStores } from '../../../lib/adapters/db/pipeline-stores';
import { createServiceStores } from '../../../lib/adapters/db/service-stores';
import { createLocalExecutor } from '../../../lib/adapters/executors/local';
import { createImageConfigResolver } from '../../../lib/adapters/registry';
import { DEFAULT_ENTRYPOINT_IMAGE, DEFAULT_SHELL_IMAGE } from '../../../lib/domain/pipeline/kubernetes/images';
import { executorPolicyFrom } from '../../../lib/server/pipeline/executor-override';
import { createPipelineEngine } from '../../../lib/server/pipeline/pipeline-engine';
import { secretBox } from '../../../lib/server/security/secret-box';
import { pipelineCluster } from '../../../workers/pipeline-cluster';
import { testLocalHost } from './local-host';

function need(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const handle = connectDb(need('WORKER_DATABASE_URL'), { max: 3 });
  const now = () => new Date();
  const deps = {
    db: handle.db,
    now,
    stores: createPipelineStores(handle.db, now),
    executorPolicy: executorPolicyFrom(createExecutorSettingStore(handle.db, now), undefined),
    gitops: createGitopsStores(handle.db, now),
    ...createServiceStores(handle.db, now),
  };
  const box = secretBox(need('WORKER_BOX_KEY'));
  const registry = `http://${need('WORKER_REGISTRY')}`;
  const log = (line: string) => console.log(line);
  const cluster = pipelineCluster(deps, box, {
    images: { entrypoint: DEFAULT_ENTRYPOINT_IMAGE, shell: DEFAULT_SHELL_IMAGE },
    imageConfig: createImageConfigResolver({
      mirrors: { 'docker.io': registry, 'ghcr.io': registry, _default: registry },
    }),
    log,
  });
  await cluster.refresh();
  // WORKER_DATA_DIR: the data dir of the worker it stands for (workers on one host share theirs).
  const dir = process.env.WORKER_DATA_DIR ?? (await mkdtemp(path.join(os.tmpdir(), 'keelson-worker-process-')));
  const engine = createPipelineEngine({
    ed: { ...deps, box, runsDir: path.join(dir, 'runs'), volumesDir: path.join(dir, 'volumes') },
    store: deps.stores.taskRuns,
    executor: createLocalExecutor(testLocalHost),
    kubernetes: cluster.current,
    owner: need('WORKER_OWNER'),
    concurrency: 2,
    enqueue: async () => undefined,
    leaseMs: Number(need('WORKER_LEASE_MS')),
    log,
  });
  await engine.advance(need('WORKER_PIPELINE_RUN'));
  log('advanced');
  // The engine's TaskRuns and the database pool keep the process up until it is killed.
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
