/**
 * A worker killed mid-run, for real: a separate worker process (tests/integration/support/kubernetes-worker-process.ts,
 * the engine with the Kubernetes executor as workers/pipeline-cluster.ts wires it) claims a TaskRun and runs its pod on
 * the real node; once the pod is Running the process gets SIGKILL. Another worker's tick (this process) then reaps the
 * lease: the TaskRun fails with TaskRunLeaseExpired and the dead worker's pod is deleted, or, with `retries: 1`, the
 * retry runs as a new pod `<TaskRun>-pod-retry1` that succeeds. No pod is left behind either way.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createExecutorSettingStore } from '../../../lib/adapters/db/executor-setting-store';
import { taskRuns, users } from '../../../lib/adapters/db/schema';
import { createLocalExecutor } from '../../../lib/adapters/executors/local';
import { createImageConfigResolver } from '../../../lib/adapters/registry';
import { DEFAULT_ENTRYPOINT_IMAGE, DEFAULT_SHELL_IMAGE } from '../../../lib/domain/pipeline/kubernetes/images';
import { registerCluster } from '../../../lib/server/gitops/register-cluster';
import { createPipelineEngine, type PipelineEngine } from '../../../lib/server/pipeline/pipeline-engine';
import { updatePipelineSettings } from '../../../lib/server/pipeline/pipeline-settings';
import type { EngineDeps } from '../../../lib/server/pipeline/reconcile-pipeline-run';
import { readLogs } from '../../../lib/server/pipeline/task-run-logs';
import type { Principal } from '../../../lib/server/principal';
import { secretBox } from '../../../lib/server/security/secret-box';
import { pipelineCluster } from '../../../workers/pipeline-cluster';
import { applySleepyRun, startWorkerProcess } from '../support/killed-worker';
import { testLocalHost } from '../support/local-host';
import { grantAdmin } from '../support/principals';
import { testDatabase, type TestDatabase } from '../support/test-database';
import { testJobs } from '../support/test-jobs';
import { deleteNamespaceAndWait, kubeconfigPath, makeClients, randomName } from './cluster';
import { REAL_NODE_LABEL, realNodeOrSkip, realNodeToleration } from './real-node';

const realNode = realNodeOrSkip();
const BOX_KEY = 'worker-killed-cluster-key-'.repeat(3);
const box = secretBox(BOX_KEY);
/** The dead worker's lease: short, so this test waits seconds for it to run out, not the product's 30. */
const LEASE_MS = 3000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!realNode)('a worker process killed mid-run', () => {
  let t: TestDatabase;
  let me: Principal;
  let ed: EngineDeps;
  let engine: PipelineEngine;
  const prefix = randomName('kill');
  const namespace = `${prefix}-default`;
  const logs: string[] = [];
  const { jobs } = testJobs(() => t.url);
  const kube = makeClients();
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    t = await testDatabase();
    const [u] = await t.handle.db.insert(users).values({ username: 'ops' }).returning();
    me = { userId: u.id, username: 'ops', name: null, role: 'user', groups: [], via: 'token' };
    await grantAdmin(t, 'ops');
    await registerCluster(t.deps(), box, me, { name: 'pipelines', kubeconfig: readFileSync(kubeconfigPath, 'utf8') });
    await updatePipelineSettings(
      {
        access: t.deps().access,
        executorSettings: createExecutorSettingStore(t.handle.db, t.deps().now),
        clusters: t.deps().gitops.clusters,
      },
      me,
      { cluster: 'pipelines', namespace: `${prefix}-{project}`, maxConcurrentTaskRuns: 4 },
    );
    const registry = `http://${realNode!.registry}`;
    const cluster = pipelineCluster(t.deps(), box, {
      images: { entrypoint: DEFAULT_ENTRYPOINT_IMAGE, shell: DEFAULT_SHELL_IMAGE },
      imageConfig: createImageConfigResolver({
        mirrors: { 'docker.io': registry, 'ghcr.io': registry, _default: registry },
      }),
      log: (l) => logs.push(l),
    });
    await cluster.refresh();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'keelson-worker-killed-'));
    ed = { ...t.deps(undefined, jobs), box, runsDir: path.join(dir, 'runs'), volumesDir: path.join(dir, 'volumes') };
    // The surviving worker: it claims what the reconcile retries with the same short lease.
    engine = createPipelineEngine({
      ed,
      store: ed.stores.taskRuns,
      executor: createLocalExecutor(testLocalHost),
      kubernetes: cluster.current,
      owner: 'surviving-worker',
      concurrency: 2,
      enqueue: async (id) => void engine.take(id),
      leaseMs: LEASE_MS,
      log: (l) => logs.push(l),
    });
  }, 120_000);

  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  afterAll(async () => {
    await deleteNamespaceAndWait(kube.core, namespace).catch(() => undefined);
  });

  /** Applies a PipelineRun of one task `sleepy` (whose step sleeps on its first attempt) with `retries`. */
  const applyRun = (retries: number) =>
    applySleepyRun(t.deps(undefined, jobs), ed, me, {
      name: randomName('killed'),
      retries,
      sleepCommand: 'sleep 300',
      spec: {
        taskRunTemplate: {
          podTemplate: { nodeSelector: { [REAL_NODE_LABEL]: 'true' }, tolerations: [realNodeToleration] },
        },
      },
    });

  /** Starts a worker process that moves the run on; returns it and its output so far. */
  function startWorker(runId: string, owner: string) {
    const started = startWorkerProcess({
      WORKER_DATABASE_URL: t.url,
      WORKER_BOX_KEY: BOX_KEY,
      WORKER_REGISTRY: realNode!.registry,
      WORKER_OWNER: owner,
      WORKER_LEASE_MS: String(LEASE_MS),
      WORKER_PIPELINE_RUN: runId,
    });
    children.push(started.child);
    return started;
  }

  const rowsOf = (runId: string) => t.handle.db.select().from(taskRuns).where(eq(taskRuns.pipelineRunId, runId));
  const podOf = (name: string) => kube.core.readNamespacedPod({ name, namespace }).catch(() => undefined);
  /** Pods of the namespace not already deleting. */
  const livePods = async () =>
    (await kube.core.listNamespacedPod({ namespace })).items
      .filter((p) => !p.metadata?.deletionTimestamp)
      .map((p) => p.metadata?.name);

  /** Runs the worker process until its TaskRun's pod is Running, then kills it with SIGKILL; returns the row. */
  async function killWorkerMidRun(runId: string, owner: string) {
    const { child, out } = startWorker(runId, owner);
    const until = Date.now() + 90_000;
    let rows = await rowsOf(runId);
    while (!rows[0]?.podNamespace && Date.now() < until && child.exitCode === null) {
      await sleep(300);
      rows = await rowsOf(runId);
    }
    expect(
      rows.map((r) => [r.state, r.leaseOwner, r.executor]),
      out.text,
    ).toEqual([['running', owner, 'kubernetes']]);
    const podName = `${rows[0].name}-pod`;
    while ((await podOf(podName))?.status?.phase !== 'Running' && Date.now() < until) await sleep(300);
    expect((await podOf(podName))?.status?.phase, out.text).toBe('Running');
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    return { row: rows[0], podName };
  }

  it('without retries: the lease runs out, the TaskRun fails TaskRunLeaseExpired, and its pod is deleted', async () => {
    const run = await applyRun(0);
    const { row, podName } = await killWorkerMidRun(run.id, 'doomed-worker-1');
    // Nobody renews the lease now; once it ran out, the surviving worker's tick reaps it.
    await sleep(LEASE_MS + 500);
    await engine.tick();
    const [reaped] = await t.handle.db.select().from(taskRuns).where(eq(taskRuns.id, row.id));
    expect(reaped.state).toBe('failed');
    expect(reaped.status.conditions?.[0]).toMatchObject({ status: 'False', reason: 'TaskRunLeaseExpired' });
    const pod = await podOf(podName);
    expect(pod === undefined || Boolean(pod.metadata?.deletionTimestamp), 'the dead worker pod is still running').toBe(
      true,
    );
    expect(logs.join('\n')).toContain(`TaskRun ${row.name}: lease expired, marked failed`);
    expect(logs.join('\n')).toContain('deleted 1 pod(s) whose TaskRun no longer runs');
    expect(await livePods()).toEqual([]);
  }, 150_000);

  it('with retries: 1 the retry runs as a new pod -pod-retry1 and succeeds; no pod is left behind', async () => {
    const run = await applyRun(1);
    const { row, podName } = await killWorkerMidRun(run.id, 'doomed-worker-2');
    await sleep(LEASE_MS + 500);
    const retryPod = `${row.name}-pod-retry1`;
    const until = Date.now() + 120_000;
    let [now] = await rowsOf(run.id);
    while (!(now.state === 'succeeded' || (now.completedAt && now.attempt > 0)) && Date.now() < until) {
      await engine.tick();
      await sleep(500);
      [now] = await rowsOf(run.id);
    }
    expect([now.state, now.attempt], JSON.stringify(now.status)).toEqual(['succeeded', 1]);
    // The retry ran in a pod of its own, not in the dead worker's.
    expect(now.status.podName).toBe(retryPod);
    expect(now.status.retriesStatus?.[0]?.conditions?.[0]).toMatchObject({ reason: 'TaskRunLeaseExpired' });
    const text = (await readLogs(t.deps(), now.id)).flatMap((c) => c.lines.map((l) => l.text));
    expect(text).toEqual(expect.arrayContaining(['attempt 1', 'done']));
    // The dead worker's pod is gone (deleted when the lease was reaped), and the retry's once it finished.
    const first = await podOf(podName);
    expect(first === undefined || Boolean(first.metadata?.deletionTimestamp), 'the dead worker pod is left').toBe(true);
    const gone = Date.now() + 60_000;
    while ((await livePods()).length > 0 && Date.now() < gone) await sleep(500);
    expect(await livePods()).toEqual([]);
  }, 200_000);
});
