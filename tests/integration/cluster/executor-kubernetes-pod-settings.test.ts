/**
 * Pod settings through apply and the engine, seen on the real node: a step's computeResources limits in the pod spec
 * and in the container's own cgroup (v1 here: memory.limit_in_bytes, cpu.cfs_quota_us; v2: memory.max, cpu.max), the
 * PipelineRun's taskRunTemplate.podTemplate nodeSelector and toleration placing the pod, a step securityContext
 * runAsUser that `id -u` prints, and a step imagePullPolicy in the container spec. The worker is wired as
 * workers/pipeline-cluster.ts wires it (Settings → Pipelines on a registered cluster), keeping finished pods a while
 * so the test can read the pod the TaskRun ran in.
 */
import { mkdtemp } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExecutorSettingStore } from '../../../lib/adapters/db/executor-setting-store';
import { taskRuns, users } from '../../../lib/adapters/db/schema';
import { createLocalExecutor } from '../../../lib/adapters/executors/local';
import { createImageConfigResolver } from '../../../lib/adapters/registry';
import { DEFAULT_ENTRYPOINT_IMAGE, DEFAULT_SHELL_IMAGE } from '../../../lib/domain/pipeline/kubernetes/images';
import { registerCluster } from '../../../lib/server/gitops/register-cluster';
import { applyDocuments } from '../../../lib/server/pipeline/apply-documents';
import { createPipelineRun } from '../../../lib/server/pipeline/create-pipeline-run';
import { createTaskRun } from '../../../lib/server/pipeline/create-task-run';
import { createPipelineEngine, type PipelineEngine } from '../../../lib/server/pipeline/pipeline-engine';
import { updatePipelineSettings } from '../../../lib/server/pipeline/pipeline-settings';
import type { EngineDeps } from '../../../lib/server/pipeline/reconcile-pipeline-run';
import { readLogs } from '../../../lib/server/pipeline/task-run-logs';
import type { Principal } from '../../../lib/server/principal';
import { secretBox } from '../../../lib/server/security/secret-box';
import { pipelineCluster } from '../../../workers/pipeline-cluster';
import { testLocalHost } from '../support/local-host';
import { grantAdmin } from '../support/principals';
import { testDatabase, type TestDatabase } from '../support/test-database';
import { testJobs } from '../support/test-jobs';
import { deleteNamespaceAndWait, kubeconfigPath, makeClients, randomName } from './cluster';
import { REAL_NODE_LABEL, realNodeOrSkip, realNodeToleration } from './real-node';

const realNode = realNodeOrSkip();
const box = secretBox('pod-settings-cluster-key-'.repeat(3));

describe.skipIf(!realNode)('pod settings through apply and the engine, on the real node', () => {
  let t: TestDatabase;
  let me: Principal;
  let ed: EngineDeps;
  let engine: PipelineEngine;
  const prefix = randomName('pods');
  const namespace = `${prefix}-default`;
  const { jobs } = testJobs(() => t.url);
  const kube = makeClients();

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
      // Finished pods stay 5 minutes, so the test reads the pod its TaskRun ran in (the namespace goes at the end).
      { cluster: 'pipelines', namespace: `${prefix}-{project}`, maxConcurrentTaskRuns: 4, keepFinishedPodsMinutes: 5 },
    );
    const registry = `http://${realNode!.registry}`;
    const cluster = pipelineCluster(t.deps(), box, {
      images: { entrypoint: DEFAULT_ENTRYPOINT_IMAGE, shell: DEFAULT_SHELL_IMAGE },
      imageConfig: createImageConfigResolver({
        mirrors: { 'docker.io': registry, 'ghcr.io': registry, _default: registry },
      }),
      log: () => undefined,
    });
    await cluster.refresh();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'keelson-pod-settings-'));
    ed = { ...t.deps(undefined, jobs), box, runsDir: path.join(dir, 'runs'), volumesDir: path.join(dir, 'volumes') };
    engine = createPipelineEngine({
      ed,
      store: ed.stores.taskRuns,
      executor: createLocalExecutor(testLocalHost),
      kubernetes: cluster.current,
      owner: 'pod-settings-worker',
      concurrency: 2,
      enqueue: async (id) => void engine.take(id),
      log: () => undefined,
    });
  }, 120_000);

  afterAll(async () => {
    await deleteNamespaceAndWait(kube.core, namespace).catch(() => undefined);
  });

  it('limits, nodeSelector, runAsUser and imagePullPolicy reach the pod spec and what the step sees', async () => {
    const doc = {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: randomName('settings') },
      spec: {
        taskRunTemplate: {
          podTemplate: { nodeSelector: { [REAL_NODE_LABEL]: 'true' }, tolerations: [realNodeToleration] },
        },
        pipelineSpec: {
          tasks: [
            {
              name: 'look',
              taskSpec: {
                steps: [
                  {
                    name: 'limits',
                    image: 'busybox',
                    imagePullPolicy: 'IfNotPresent',
                    computeResources: { limits: { memory: '64Mi', cpu: '200m' } },
                    script: [
                      // cgroup v1 mounts the container's own cgroups; v2 has memory.max and cpu.max instead.
                      'echo "memory $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max)"',
                      'echo "cpu $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cat /sys/fs/cgroup/cpu.max)"',
                    ].join('\n'),
                  },
                  {
                    name: 'user',
                    image: 'busybox',
                    securityContext: { runAsUser: 1234 },
                    script: 'echo "uid $(id -u)"',
                  },
                ],
              },
            },
          ],
        },
      },
    };
    const { runs } = await applyDocuments(t.deps(undefined, jobs), me, doc, box, async (tx, d, i) =>
      d.kind === 'PipelineRun'
        ? { kind: 'PipelineRun', ...(await createPipelineRun(tx, d, 'ops', new Date(), `documents[${i}].spec`)) }
        : { kind: 'TaskRun', ...(await createTaskRun(ed, tx, d, `documents[${i}].spec`)) },
    );
    await engine.advance(runs[0].id);
    const until = Date.now() + 120_000;
    let rows = await t.handle.db.select().from(taskRuns).where(eq(taskRuns.pipelineRunId, runs[0].id));
    while (!(rows.length === 1 && rows[0].completedAt) && Date.now() < until) {
      await engine.tick();
      await new Promise((r) => setTimeout(r, 500));
      rows = await t.handle.db.select().from(taskRuns).where(eq(taskRuns.pipelineRunId, runs[0].id));
    }
    const [row] = rows;
    expect(row?.state, JSON.stringify(row?.status)).toBe('succeeded');
    expect(row.executor).toBe('kubernetes');
    const text = (await readLogs(t.deps(), row.id)).flatMap((c) => c.lines.map((l) => `${c.step} ${l.text}`));
    // What the containers saw: their cgroups carry the limits (64Mi; 200m = 20 ms of every 100 ms), the user is 1234.
    expect(text).toEqual(
      expect.arrayContaining([
        `limits memory ${64 * 1024 * 1024}`,
        expect.stringMatching(/^limits cpu 20000( 100000)?$/),
        'user uid 1234',
      ]),
    );

    // The pod (kept for a while after the TaskRun) carries the settings as written.
    const pod = await kube.core.readNamespacedPod({ name: `${row.name}-pod`, namespace });
    expect(pod.spec?.nodeName).toBe(realNode!.nodeName);
    expect(pod.spec?.nodeSelector).toEqual({ [REAL_NODE_LABEL]: 'true' });
    expect(pod.spec?.tolerations).toEqual(expect.arrayContaining([expect.objectContaining(realNodeToleration)]));
    const container = (name: string) => pod.spec?.containers.find((c) => c.name === `step-${name}`);
    expect(container('limits')?.resources?.limits).toEqual({ memory: '64Mi', cpu: '200m' });
    expect(container('limits')?.imagePullPolicy).toBe('IfNotPresent');
    expect(container('user')?.securityContext?.runAsUser).toBe(1234);
    expect(container('limits')?.securityContext?.runAsUser).toBeUndefined();
  }, 180_000);
});
