import { eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createExecutorSettingStore } from '../../lib/adapters/db/executor-setting-store';
import { definitions, pipelineRuns, taskRuns } from '../../lib/adapters/db/schema';
import { DEFAULT_PIPELINE_EXECUTOR_SETTING } from '../../lib/domain/pipeline/executor-setting';
import { createLocalExecutor } from '../../lib/adapters/executors/local';
import type { TaskRunExecutor, TaskRunTarget } from '../../lib/domain/pipeline/task-run-plan';
import { createPipelineEngine } from '../../lib/server/pipeline/pipeline-engine';
import { startPipeline } from '../../lib/server/pipeline/start-pipeline';
import type { KubernetesChoice } from '../../lib/server/pipeline/task-run-executors';
import { apply, rejection, useHarness, waitForRun, type Harness } from './pipeline-semantics-support';
import { testLocalHost } from './support/local-host';

/**
 * Which executor runs each TaskRun, decided when a worker claims it: the `keelson.dev/executor` annotation of the
 * PipelineRun (or its Pipeline; of a standalone TaskRun or its Task) over the setting; a TaskRun asking for
 * Kubernetes with no cluster set fails at once with the reason. The Kubernetes side here is the real local executor
 * put in its place (recording the target the engine hands it), so the engine's routing and the bound on TaskRuns
 * running there are tested without a cluster; the pods themselves are the cluster tests'.
 */
const h = useHarness();
let k8s: KubernetesChoice;
const targets: TaskRunTarget[] = [];
const enqueued: string[] = [];
let engine: Harness['engine'];
let run: Harness;

const local = createLocalExecutor(testLocalHost);
const asPods: TaskRunExecutor = {
  kind: 'kubernetes',
  run: (plan, workDir, hooks, target) => {
    if (target) targets.push(target);
    return local.run(plan, workDir, hooks);
  },
};

beforeAll(() => {
  k8s = undefined;
  engine = createPipelineEngine({
    ed: h.ed,
    store: h.ed.stores.taskRuns,
    executor: local,
    kubernetes: () => k8s,
    owner: 'choice-worker',
    concurrency: 4,
    // As pg-boss would hand it to a worker: this one.
    enqueue: async (id) => {
      enqueued.push(id);
      void engine.execute(id);
    },
    log: () => undefined,
  });
  run = { ...h, engine };
});

const annotated = (value?: string) => (value ? { annotations: { 'keelson.dev/executor': value } } : {});
function pipelineRun(name: string, executor?: string, tasks = ['a'], extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: { name, ...annotated(executor) },
    spec: {
      pipelineSpec: {
        tasks: tasks.map((t) => ({
          name: t,
          taskSpec: { steps: [{ name: 's', image: 'busybox', script: 'sleep 0.4' }] },
        })),
      },
      ...extra,
    },
  };
}

async function startRun(doc: unknown) {
  const { runs } = await apply(run, doc);
  const started = runs.find((r) => r.kind === 'PipelineRun')!;
  await engine.advance(started.id);
  return started;
}
const taskRowsOf = (runId: string) => h.t.handle.db.select().from(taskRuns).where(eq(taskRuns.pipelineRunId, runId));

describe('the executor annotation with no cluster set for pipelines', () => {
  it('a PipelineRun annotated kubernetes fails its TaskRuns at once with the reason and how to fix it', async () => {
    const started = await startRun(pipelineRun('wants-pods', 'kubernetes'));
    const done = await waitForRun(run, started.id, 10_000);
    expect(done.conditionStatus).toBe('False');
    const [tr] = await taskRowsOf(started.id);
    expect(tr.executor).toBe('kubernetes');
    expect(tr.state).toBe('failed');
    expect(JSON.stringify(tr.status)).toContain('no cluster is set for pipelines');
    expect(JSON.stringify(tr.status)).toContain('Settings → Pipelines');
  });

  it('its Pipeline’s annotation counts too; the run’s own wins over it', async () => {
    await apply(run, {
      apiVersion: 'tekton.dev/v1',
      kind: 'Pipeline',
      metadata: { name: 'pods-please', ...annotated('kubernetes') },
      spec: { tasks: [{ name: 'a', taskSpec: { steps: [{ name: 's', image: 'busybox', script: 'true' }] } }] },
    });
    const ref = (name: string, executor?: string) => ({
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name, ...annotated(executor) },
      spec: { pipelineRef: { name: 'pods-please' } },
    });
    const viaPipeline = await startRun(ref('via-pipeline'));
    expect((await waitForRun(run, viaPipeline.id, 10_000)).conditionStatus).toBe('False');
    expect((await taskRowsOf(viaPipeline.id))[0].executor).toBe('kubernetes');
    const overridden = await startRun(ref('run-says-local', 'local'));
    expect((await waitForRun(run, overridden.id, 10_000)).conditionStatus).toBe('True');
    expect((await taskRowsOf(overridden.id))[0].executor).toBe('local');
  });

  it('a bad value is refused with its path and nothing is stored', async () => {
    const err = await rejection(apply(run, pipelineRun('bad-executor', 'docker')));
    expect(err.status).toBe(400);
    expect(err.details.issues?.[0].path).toBe('documents[0].metadata.annotations["keelson.dev/executor"]');
    expect(await h.t.handle.db.select().from(pipelineRuns).where(eq(pipelineRuns.name, 'bad-executor'))).toEqual([]);
  });

  it('a standalone TaskRun follows its Task’s annotation unless its own says otherwise', async () => {
    await apply(run, {
      apiVersion: 'tekton.dev/v1',
      kind: 'Task',
      metadata: { name: 'podded', ...annotated('kubernetes') },
      spec: { steps: [{ name: 's', image: 'busybox', script: 'true' }] },
    });
    const taskRun = (name: string, executor?: string) => ({
      apiVersion: 'tekton.dev/v1',
      kind: 'TaskRun',
      metadata: { name, ...annotated(executor) },
      spec: { taskRef: { name: 'podded' } },
    });
    for (const [name, executor, state] of [
      ['tr-task-says-pods', undefined, 'failed'],
      ['tr-says-local', 'local', 'succeeded'],
    ] as const) {
      const { runs } = await apply(run, taskRun(name, executor));
      await engine.execute(runs[0].id);
      const [row] = await h.t.handle.db.select().from(taskRuns).where(eq(taskRuns.name, name));
      expect([row.state, row.executor]).toEqual([state, executor ?? 'kubernetes']);
    }
  });
});

describe('with a cluster set (the Kubernetes side in place)', () => {
  it('runs TaskRuns there by default with their target, at most maxConcurrentTaskRuns at once; the rest wait, then run', async () => {
    k8s = {
      available: true,
      executor: asPods,
      cluster: 'ci',
      namespaceTemplate: 'ci-{project}',
      maxConcurrentTaskRuns: 1,
    };
    try {
      const started = await startRun(pipelineRun('three-at-once', undefined, ['a', 'b', 'c']));
      const done = await waitForRun(run, started.id, 30_000);
      expect(done.conditionStatus).toBe('True');
      const rows = await taskRowsOf(started.id);
      expect(rows.map((r) => r.executor)).toEqual(['kubernetes', 'kubernetes', 'kubernetes']);
      // One at a time: no two of them overlap.
      const spans = rows
        .map((r) => [r.startedAt!.getTime(), r.completedAt!.getTime()] as const)
        .sort((x, y) => x[0] - y[0]);
      for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
      const mine = targets.filter((t) => t.pipelineRunName === 'three-at-once');
      expect(mine).toHaveLength(3);
      // The run as the database has it: its claims are labelled with a hash of project, name and uid.
      expect(mine[0]).toMatchObject({
        project: 'default',
        namespace: 'ci-default',
        pipelineRunName: 'three-at-once',
        pipelineRunUid: started.id,
        attempt: 0,
      });
    } finally {
      k8s = undefined;
    }
  });

  it('a run annotated local runs locally beside them, not held back by the bound', async () => {
    k8s = {
      available: true,
      executor: asPods,
      cluster: 'ci',
      namespaceTemplate: '{project}',
      maxConcurrentTaskRuns: 1,
    };
    try {
      const started = await startRun(pipelineRun('local-anyway', 'local', ['a', 'b']));
      expect((await waitForRun(run, started.id, 20_000)).conditionStatus).toBe('True');
      const rows = await taskRowsOf(started.id);
      expect(rows.map((r) => r.executor)).toEqual(['local', 'local']);
      // Both ran at once (local slots), unlike the Kubernetes TaskRuns above.
      const [x, y] = rows.map((r) => [r.startedAt!.getTime(), r.completedAt!.getTime()]);
      expect(Math.max(x[0], y[0])).toBeLessThan(Math.min(x[1], y[1]));
    } finally {
      k8s = undefined;
    }
  });

  it('a queue handler (take) is free as soon as its TaskRun is claimed for Kubernetes, not when the pod ends', async () => {
    k8s = {
      available: true,
      executor: asPods,
      cluster: 'ci',
      namespaceTemplate: '{project}',
      maxConcurrentTaskRuns: 5,
    };
    try {
      const { runs } = await apply(run, {
        apiVersion: 'tekton.dev/v1',
        kind: 'TaskRun',
        metadata: { name: 'tr-long-pod' },
        spec: { taskSpec: { steps: [{ name: 's', image: 'busybox', script: 'sleep 2' }] } },
      });
      const before = Date.now();
      await engine.take(runs[0].id);
      expect(Date.now() - before).toBeLessThan(1500);
      const row = async () => (await h.t.handle.db.select().from(taskRuns).where(eq(taskRuns.id, runs[0].id)))[0];
      expect(await row()).toMatchObject({ state: 'running', executor: 'kubernetes' });
      expect(engine.remoteCount()).toBe(1);
      while ((await row()).state === 'running') await new Promise((r) => setTimeout(r, 100));
      expect((await row()).state).toBe('succeeded');
      expect(engine.remoteCount()).toBe(0);
    } finally {
      k8s = undefined;
    }
  });

  it('the tick claims TaskRuns left pending at the bound in one go, without a queue job each', async () => {
    k8s = {
      available: true,
      executor: asPods,
      cluster: 'ci',
      namespaceTemplate: '{project}',
      maxConcurrentTaskRuns: 5,
    };
    try {
      const ids: string[] = [];
      for (const n of ['tr-left-1', 'tr-left-2']) {
        const { runs } = await apply(run, {
          apiVersion: 'tekton.dev/v1',
          kind: 'TaskRun',
          metadata: { name: n },
          spec: { taskSpec: { steps: [{ name: 's', image: 'busybox', script: 'true' }] } },
        });
        ids.push(runs[0].id);
      }
      // As if their worker had found no room a while ago.
      await h.t.handle.db
        .update(taskRuns)
        .set({ createdAt: new Date(Date.now() - 10_000) })
        .where(inArray(taskRuns.id, ids));
      const before = enqueued.length;
      await engine.tick();
      const rows = async () => h.t.handle.db.select().from(taskRuns).where(inArray(taskRuns.id, ids));
      const until = Date.now() + 15_000;
      while ((await rows()).some((r) => r.state !== 'succeeded') && Date.now() < until)
        await new Promise((r) => setTimeout(r, 100));
      expect((await rows()).map((r) => [r.state, r.executor])).toEqual([
        ['succeeded', 'kubernetes'],
        ['succeeded', 'kubernetes'],
      ]);
      expect(enqueued.slice(before).filter((id) => ids.includes(id))).toEqual([]);
    } finally {
      k8s = undefined;
    }
  });

  it('a cluster that cannot be used fails the TaskRuns that need it with its reason', async () => {
    k8s = { available: false, cluster: 'gone', reason: 'no registered cluster is named "gone"' };
    try {
      const started = await startRun(pipelineRun('cluster-gone'));
      expect((await waitForRun(run, started.id, 10_000)).conditionStatus).toBe('False');
      const [tr] = await taskRowsOf(started.id);
      expect(JSON.stringify(tr.status)).toContain('no registered cluster is named');
    } finally {
      k8s = undefined;
    }
  });
});

describe('allowExecutorOverride: false (security review F5)', () => {
  const setAllow = (allow: boolean) =>
    createExecutorSettingStore(h.t.handle.db, () => new Date()).put(
      { ...DEFAULT_PIPELINE_EXECUTOR_SETTING, allowExecutorOverride: allow },
      'ci',
      { actor: 'ci', action: 'settings.pipelines.update', target: 'settings/pipelines', result: 'success' },
    );
  const step = { name: 's', image: 'busybox', script: 'true' };
  const docs = (executor: string) => [
    pipelineRun(`override-run-${executor}`, executor),
    {
      apiVersion: 'tekton.dev/v1',
      kind: 'Pipeline',
      metadata: { name: `override-pipe-${executor}`, ...annotated(executor) },
      spec: { tasks: [{ name: 'a', taskSpec: { steps: [step] } }] },
    },
    {
      apiVersion: 'tekton.dev/v1',
      kind: 'TaskRun',
      metadata: { name: `override-tr-${executor}`, ...annotated(executor) },
      spec: { taskSpec: { steps: [step] } },
    },
    {
      apiVersion: 'tekton.dev/v1',
      kind: 'Task',
      metadata: { name: `override-task-${executor}`, ...annotated(executor) },
      spec: { steps: [step] },
    },
  ];
  const stored = async (executor: string) => ({
    runs: await h.t.handle.db
      .select()
      .from(pipelineRuns)
      .where(eq(pipelineRuns.name, `override-run-${executor}`)),
    taskRuns: await h.t.handle.db
      .select()
      .from(taskRuns)
      .where(eq(taskRuns.name, `override-tr-${executor}`)),
    definitions: (await h.t.handle.db.select().from(definitions)).filter((d) => d.name.endsWith(`-${executor}`)),
  });

  it('a PipelineRun, Pipeline, TaskRun or Task asking for another executor is refused at create time; nothing stored', async () => {
    await setAllow(false);
    try {
      // The installation runs TaskRuns locally (no cluster set): each document asking for kubernetes is refused.
      for (const doc of docs('kubernetes')) {
        const err = await rejection(apply(run, doc));
        expect(err.status, doc.kind).toBe(400);
        expect(err.details.issues?.[0].path).toBe('documents[0].metadata.annotations["keelson.dev/executor"]');
        expect(err.details.issues?.[0].message).toContain('allowExecutorOverride');
      }
      expect(await stored('kubernetes')).toEqual({ runs: [], taskRuns: [], definitions: [] });
      // Asking for the installation's own executor is fine.
      const { applied } = await apply(run, docs('local'));
      expect(applied.map((a) => a.action)).toEqual(['created', 'created', 'created', 'created']);
    } finally {
      await setAllow(true);
    }
    // Allowed again (the default): the same documents are accepted.
    const { applied } = await apply(run, [docs('kubernetes')[1], docs('kubernetes')[3]]);
    expect(applied).toEqual([
      expect.objectContaining({ kind: 'Pipeline', action: 'created' }),
      expect.objectContaining({ kind: 'Task', action: 'created' }),
    ]);
  });

  it('a run of a stored Pipeline or Task asking for another executor is refused too, unless the run names the installation’s', async () => {
    // Stored while overrides were allowed (the Pipeline by the test above).
    const taskRun = (name: string, executor?: string) => ({
      apiVersion: 'tekton.dev/v1',
      kind: 'TaskRun',
      metadata: { name, ...annotated(executor) },
      spec: { taskRef: { name: 'override-task-kubernetes' } },
    });
    const ref = (name: string, executor?: string) => ({
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name, ...annotated(executor) },
      spec: { pipelineRef: { name: 'override-pipe-kubernetes' } },
    });
    await setAllow(false);
    try {
      for (const [doc, path] of [
        [ref('ref-refused'), 'documents[0].spec.pipelineRef.name'],
        [taskRun('tr-ref-refused'), 'documents[0].spec.taskRef.name'],
      ] as const) {
        const err = await rejection(apply(run, doc));
        expect(err.status).toBe(400);
        expect(err.details.issues?.[0]).toEqual({ path, message: expect.stringContaining('allowExecutorOverride') });
      }
      const started = await rejection(startPipeline(h.control(), h.me, 'override-pipe-kubernetes', {}));
      expect(started.status).toBe(400);
      expect(started.details.issues?.[0].path).toBe(
        'pipeline(override-pipe-kubernetes).metadata.annotations["keelson.dev/executor"]',
      );
      expect(
        await h.t.handle.db
          .select()
          .from(pipelineRuns)
          .where(eq(pipelineRuns.pipelineName, 'override-pipe-kubernetes')),
      ).toEqual([]);
      expect(await h.t.handle.db.select().from(taskRuns).where(eq(taskRuns.name, 'tr-ref-refused'))).toEqual([]);
      // The run's own annotation naming the installation's executor wins over its definition's.
      const { runs } = await apply(run, ref('ref-says-local', 'local'));
      expect(runs).toHaveLength(1);
    } finally {
      await setAllow(true);
    }
  });
});
