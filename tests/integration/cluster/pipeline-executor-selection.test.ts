/**
 * Settings → Pipelines pointed at a registered cluster: a PipelineRun runs on the real node end to end, through what
 * a worker wires (workers/pipeline-cluster.ts: the setting, the registered cluster's sealed credentials, the
 * Kubernetes executor) and the engine's choice at claim time. Each TaskRun is a pod in the project's namespace
 * (created from the template), its steps in their own images; the run page's facts (executor, pod) are recorded.
 */
import { mkdtemp } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExecutorSettingStore } from '../../../lib/adapters/db/executor-setting-store';
import { pipelineRuns, taskRuns, users } from '../../../lib/adapters/db/schema';
import { createLocalExecutor } from '../../../lib/adapters/executors/local';
import { createImageConfigResolver } from '../../../lib/adapters/registry';
import { DEFAULT_ENTRYPOINT_IMAGE, DEFAULT_SHELL_IMAGE } from '../../../lib/domain/pipeline/kubernetes/images';
import { registerCluster } from '../../../lib/server/gitops/register-cluster';
import { applyDocuments } from '../../../lib/server/pipeline/apply-documents';
import { createPipelineRun } from '../../../lib/server/pipeline/create-pipeline-run';
import { createTaskRun } from '../../../lib/server/pipeline/create-task-run';
import { createPipelineEngine, type PipelineEngine } from '../../../lib/server/pipeline/pipeline-engine';
import { taskRunResource } from '../../../lib/server/pipeline/pipeline-run-resource';
import { updatePipelineSettings } from '../../../lib/server/pipeline/pipeline-settings';
import type { EngineDeps } from '../../../lib/server/pipeline/reconcile-pipeline-run';
import { readLogs } from '../../../lib/server/pipeline/task-run-logs';
import type { Principal } from '../../../lib/server/principal';
import { secretBox } from '../../../lib/server/security/secret-box';
import { pipelineCluster, type PipelineCluster } from '../../../workers/pipeline-cluster';
import { testLocalHost } from '../support/local-host';
import { grantAdmin } from '../support/principals';
import { testDatabase, type TestDatabase } from '../support/test-database';
import { testJobs } from '../support/test-jobs';
import { deleteNamespaceAndWait, isNotFound, kubeconfigPath, makeClients, randomName } from './cluster';
import { onRealNode, realNodeOrSkip } from './real-node';
import { realNodePlan, step } from './executor-kubernetes-support';
import { pendingTaskRunStatus } from '../../../lib/domain/pipeline/task-run-status';

const realNode = realNodeOrSkip();
let t: TestDatabase;
/** Whether the PipelineRun has ended (a failed first task ends it with one TaskRun). */
const runEnded = async (id: string) =>
  Boolean((await t.handle.db.select().from(pipelineRuns).where(eq(pipelineRuns.id, id)))[0]?.completedAt);
const box = secretBox('selection-cluster-key-'.repeat(3));

describe.skipIf(!realNode)('Settings → Pipelines pointed at the test cluster', () => {
  let me: Principal;
  let ed: EngineDeps;
  let engine: PipelineEngine;
  let cluster: PipelineCluster;
  const prefix = randomName('sel');
  const namespace = `${prefix}-default`;
  const logs: string[] = [];
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
      { cluster: 'pipelines', namespace: `${prefix}-{project}`, maxConcurrentTaskRuns: 4 },
    );
    const registry = `http://${realNode!.registry}`;
    cluster = pipelineCluster(t.deps(), box, {
      images: { entrypoint: DEFAULT_ENTRYPOINT_IMAGE, shell: DEFAULT_SHELL_IMAGE },
      imageConfig: createImageConfigResolver({
        mirrors: { 'docker.io': registry, 'ghcr.io': registry, _default: registry },
      }),
      log: (l) => logs.push(l),
    });
    await cluster.refresh();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'keelson-selection-'));
    ed = {
      ...t.deps(undefined, jobs),
      box,
      runsDir: path.join(dir, 'runs'),
      volumesDir: path.join(dir, 'volumes'),
    };
    engine = createPipelineEngine({
      ed,
      store: ed.stores.taskRuns,
      executor: createLocalExecutor(testLocalHost),
      kubernetes: cluster.current,
      owner: 'selection-worker',
      concurrency: 2,
      enqueue: async (id) => void engine.take(id),
      log: (l) => logs.push(l),
    });
  }, 120_000);

  afterAll(async () => {
    await deleteNamespaceAndWait(kube.core, namespace).catch(() => undefined);
  });

  it('the worker follows the setting: the Kubernetes executor on the registered cluster', () => {
    const k8s = cluster.current();
    expect(k8s).toMatchObject({ available: true, cluster: 'pipelines', maxConcurrentTaskRuns: 4 });
    expect(logs.join('\n')).toContain(`executor: kubernetes on cluster pipelines, namespace ${prefix}-{project}`);
  });

  it('a PipelineRun runs each TaskRun as a pod on the real node, python in its own image, results passed on', async () => {
    const placement = onRealNode({ containers: [] });
    const doc = {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: randomName('sel-run') },
      spec: {
        taskRunTemplate: { podTemplate: { nodeSelector: placement.nodeSelector, tolerations: placement.tolerations } },
        pipelineSpec: {
          tasks: [
            {
              name: 'version',
              taskSpec: {
                results: [{ name: 'python' }],
                steps: [
                  {
                    name: 'ask',
                    image: 'python',
                    script:
                      '#!/usr/bin/env python3\nimport sys\nv = "%d.%d" % sys.version_info[:2]\nprint("python", v)\nopen("$(results.python.path)", "w").write(v)',
                  },
                ],
              },
            },
            {
              name: 'report',
              params: [{ name: 'v', value: '$(tasks.version.results.python)' }],
              taskSpec: {
                params: [{ name: 'v' }],
                steps: [{ name: 'say', image: 'alpine', script: 'echo "$(uname -s) saw python $(params.v)"' }],
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
    const run = runs[0];
    const started = Date.now();
    await engine.advance(run.id);
    let rows = await t.handle.db.select().from(taskRuns).where(eq(taskRuns.pipelineRunId, run.id));
    while (Date.now() - started < 150_000) {
      await engine.tick();
      rows = await t.handle.db.select().from(taskRuns).where(eq(taskRuns.pipelineRunId, run.id));
      if ((rows.length === 2 && rows.every((r) => r.completedAt)) || (await runEnded(run.id))) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const tookMs = Date.now() - started;
    const byTask = Object.fromEntries(rows.map((r) => [r.pipelineTask, r]));
    expect(
      rows.map((r) => [r.pipelineTask, r.state]),
      JSON.stringify(rows.map((r) => r.status)),
    ).toEqual(
      expect.arrayContaining([
        ['version', 'succeeded'],
        ['report', 'succeeded'],
      ]),
    );
    for (const r of rows) {
      expect(r.executor).toBe('kubernetes');
      expect(r.podNamespace).toBe(namespace);
      const shown = taskRunResource(r, run.name);
      expect(shown.metadata.annotations?.['keelson.dev/executor']).toBe('kubernetes');
      expect(shown.status.podName).toBe(`${r.name}-pod`);
      expect(shown.status.sandbox).toBe('kubernetes');
    }
    const text = async (id: string) => (await readLogs(t.deps(), id)).flatMap((c) => c.lines.map((l) => l.text));
    expect(await text(byTask.version.id)).toEqual([expect.stringMatching(/^python 3\.\d+$/)]);
    expect(await text(byTask.report.id)).toEqual([expect.stringMatching(/^Linux saw python 3\.\d+$/)]);
    // The namespace was made for the project (the template), and no pod is left behind (keep time 0).
    const ns = await kube.core.readNamespace({ name: namespace });
    expect(ns.metadata?.name).toBe(namespace);
    // Deleted once their logs and results are stored (the kubelet may take a moment to let them go).
    for (const r of rows) {
      const gone = () => isNotFound(() => kube.core.readNamespacedPod({ name: `${r.name}-pod`, namespace }));
      const until = Date.now() + 60_000;
      while (!(await gone()) && Date.now() < until) await new Promise((res) => setTimeout(res, 500));
      expect(await gone(), `pod ${r.name}-pod still there`).toBe(true);
    }
    console.log(`[selection] two-task PipelineRun on the real node: ${tookMs} ms to finish`);
  }, 200_000);

  it('a volumeClaimTemplate workspace is shared by two TaskRuns and its claim deleted when the PipelineRun ends', async () => {
    const placement = onRealNode({ containers: [] });
    const name = randomName('sel-pvc');
    const doc = {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name },
      spec: {
        taskRunTemplate: { podTemplate: { nodeSelector: placement.nodeSelector, tolerations: placement.tolerations } },
        workspaces: [
          {
            name: 'shared',
            volumeClaimTemplate: {
              spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '16Mi' } } },
            },
          },
        ],
        pipelineSpec: {
          workspaces: [{ name: 'shared' }],
          tasks: [
            {
              name: 'write',
              workspaces: [{ name: 'w', workspace: 'shared' }],
              taskSpec: {
                workspaces: [{ name: 'w' }],
                steps: [{ name: 'w', image: 'busybox', script: 'echo kept > $(workspaces.w.path)/note' }],
              },
            },
            {
              name: 'read',
              runAfter: ['write'],
              workspaces: [{ name: 'w', workspace: 'shared' }],
              taskSpec: {
                workspaces: [{ name: 'w' }],
                steps: [{ name: 'r', image: 'busybox', script: 'cat $(workspaces.w.path)/note' }],
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
    const until = Date.now() + 150_000;
    let rows = await t.handle.db.select().from(taskRuns).where(eq(taskRuns.pipelineRunId, runs[0].id));
    while (
      !(rows.length === 2 && rows.every((r) => r.completedAt)) &&
      !(await runEnded(runs[0].id)) &&
      Date.now() < until
    ) {
      await engine.tick();
      await new Promise((r) => setTimeout(r, 500));
      rows = await t.handle.db.select().from(taskRuns).where(eq(taskRuns.pipelineRunId, runs[0].id));
    }
    expect(
      rows.map((r) => r.state),
      JSON.stringify(rows.map((r) => r.status)),
    ).toEqual(['succeeded', 'succeeded']);
    const read = rows.find((r) => r.pipelineTask === 'read')!;
    expect((await readLogs(t.deps(), read.id)).flatMap((c) => c.lines.map((l) => l.text))).toEqual(['kept']);
    // Both pods mounted the run's claim (not an emptyDir each: the note crossed from one to the other).
    const plan = read.plan as { workspaces: { source?: { kind: string; claimName?: string } }[] };
    expect(plan.workspaces[0].source).toMatchObject({ kind: 'volumeClaimTemplate' });
    // The run's end (this engine's reconcile) deletes its claim.
    const claims = async () =>
      (await kube.core.listNamespacedPersistentVolumeClaim({ namespace })).items.filter(
        (c) => !c.metadata?.deletionTimestamp,
      );
    const gone = Date.now() + 60_000;
    while ((await claims()).length > 0 && Date.now() < gone) await new Promise((r) => setTimeout(r, 500));
    expect((await claims()).map((c) => c.metadata?.name)).toEqual([]);
  }, 200_000);

  it('a TaskRun whose worker died has its pod deleted when its lease is reaped', async () => {
    const k8s = cluster.current();
    if (!k8s?.available) throw new Error('no Kubernetes executor');
    const plan = realNodePlan({ steps: [step('wait', { image: 'busybox', script: 'sleep 300' })] });
    const [row] = await t.handle.db
      .insert(taskRuns)
      .values({
        name: plan.taskRunName,
        plan,
        state: 'running',
        executor: 'kubernetes',
        leaseOwner: 'dead-worker',
        leaseExpiresAt: new Date(Date.now() + 600_000),
        startedAt: new Date(),
        status: pendingTaskRunStatus(new Date()),
      })
      .returning();
    // The dead worker's last act: its pod runs, recorded as the engine records it.
    const orphan = new AbortController();
    const ran = k8s.executor.run(
      plan,
      '/nonexistent',
      {
        onLogs: () => undefined,
        signal: orphan.signal,
        onPodCreated: (pod) => ed.stores.taskRuns.recordPod(row.id, 'dead-worker', pod),
      },
      { project: 'default', namespace, attempt: 0 },
    );
    const podName = `${plan.taskRunName}-pod`;
    const until = Date.now() + 90_000;
    const phase = async () =>
      (await kube.core.readNamespacedPod({ name: podName, namespace }).catch(() => undefined))?.status?.phase;
    while ((await phase()) !== 'Running' && Date.now() < until) await new Promise((r) => setTimeout(r, 500));
    expect(await phase()).toBe('Running');
    const [recorded] = await t.handle.db.select().from(taskRuns).where(eq(taskRuns.id, row.id));
    expect([recorded.podNamespace, recorded.status.podName]).toEqual([namespace, podName]);

    // Its lease runs out; another worker's tick reaps it and deletes the pod.
    await t.handle.db
      .update(taskRuns)
      .set({ leaseExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(taskRuns.id, row.id));
    await engine.tick();
    const [reaped] = await t.handle.db.select().from(taskRuns).where(eq(taskRuns.id, row.id));
    expect(reaped.state).toBe('failed');
    const pod = await kube.core.readNamespacedPod({ name: podName, namespace }).catch(() => undefined);
    expect(pod === undefined || Boolean(pod.metadata?.deletionTimestamp), 'pod neither gone nor deleting').toBe(true);
    expect(logs.join('\n')).toContain('pod(s) whose TaskRun no longer runs');
    orphan.abort();
    await ran.catch(() => undefined);
  }, 150_000);
});
