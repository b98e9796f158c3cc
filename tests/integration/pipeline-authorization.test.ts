import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, pipelineRuns } from '../../lib/adapters/db/schema';
import { cancelPipelineRun } from '../../lib/server/pipeline/cancel-pipeline-run';
import { deletePipeline } from '../../lib/server/pipeline/delete-pipeline';
import { deletePipelineRun } from '../../lib/server/pipeline/delete-pipeline-run';
import { findAuthorizedTaskRun } from '../../lib/server/pipeline/find-task-run';
import { getPipeline } from '../../lib/server/pipeline/get-pipeline';
import { getPipelineRun } from '../../lib/server/pipeline/get-pipeline-run';
import { listPipelineRuns } from '../../lib/server/pipeline/list-pipeline-runs';
import { listPipelines } from '../../lib/server/pipeline/list-pipelines';
import { listTaskRuns } from '../../lib/server/pipeline/list-task-runs';
import { listDeliveries, listTriggers } from '../../lib/server/pipeline/list-triggers';
import { rerunPipelineRun } from '../../lib/server/pipeline/rerun-pipeline-run';
import { startPipeline } from '../../lib/server/pipeline/start-pipeline';
import { receiveTriggerDelivery } from '../../lib/server/webhooks/receive-trigger-delivery';
import { alice, bob, box, taskAndPipeline, useProjects } from './pipeline-projects-support';
import { pushPayload, signedPush } from './support/trigger-fixtures';

/**
 * Every pipeline use case authorizes: a team-a role sees and changes team-a's pipelines, runs and triggers
 * only (lists and their totals too), and is refused team-b's with 403 naming {resource, action, object}, with
 * nothing written. Trigger deliveries act as the trigger's service account.
 */
const h = useProjects();
let bobRuns: string[];
let bobTaskRun: string;

const denied = (resource: string, action: string, object: string | RegExp) => ({
  code: 'FORBIDDEN',
  details: {
    denied: { resource, action, object: typeof object === 'string' ? object : expect.stringMatching(object) },
  },
});

const triggerDocs = (name: string, sa?: string, pipeline = 'build-a') =>
  `{ apiVersion: keelson.dev/v1alpha1, kind: Trigger, metadata: { name: ${name}, namespace: team-a }, spec: { ${sa ? `serviceAccountName: ${sa}, ` : ''}pipelineRef: { name: ${pipeline} }, provider: github, secretRef: { name: a-hook, key: token } } }`;

beforeAll(async () => {
  await h.apply(alice, taskAndPipeline('team-a', 'greet-a', 'build-a'));
  await h.apply(bob, taskAndPipeline('team-b', 'greet-b', 'build-b'));
  await startPipeline(h.deps(), alice, 'build-a', {});
  bobRuns = [
    (await startPipeline(h.deps(), bob, 'build-b', {})).name,
    (await startPipeline(h.deps(), bob, 'build-b', {})).name,
  ];
  const { runs } = await h.apply(
    bob,
    `{ apiVersion: tekton.dev/v1, kind: TaskRun, metadata: { generateName: solo-b-, namespace: team-b }, spec: { taskRef: { name: greet-b } } }`,
  );
  bobTaskRun = runs[0].name;
  await h.apply(
    alice,
    `{ apiVersion: v1, kind: Secret, metadata: { name: a-hook, namespace: team-a }, stringData: { token: s } }`,
  );
});

describe('what a team-a role sees', () => {
  it("lists only team-a's pipelines, runs, task runs and triggers, with totals on that set", async () => {
    expect((await listPipelines(h.deps(), alice)).map((p) => [p.project, p.name])).toEqual([['team-a', 'build-a']]);
    const runs = await listPipelineRuns(h.deps(), alice, { page: 1, limit: 10 });
    expect(runs.total).toBe(1);
    expect(runs.items.map((r) => r.project)).toEqual(['team-a']);
    const bobs = await listPipelineRuns(h.deps(), bob, { page: 1, limit: 1 });
    expect(bobs.total).toBe(2);
    expect(bobs.items).toHaveLength(1);
    expect((await listPipelineRuns(h.deps(), bob, { page: 2, limit: 1 })).items).toHaveLength(1);
    expect((await listTaskRuns(h.deps(), alice, { limit: 50 })).items).toEqual([]);
    expect((await listTaskRuns(h.deps(), bob, { limit: 50 })).items.map((r) => r.metadata.name)).toEqual([bobTaskRun]);
    await h.apply(alice, triggerDocs('a-listed'));
    expect((await listTriggers(h.deps(), bob)).map((x) => x.name)).toEqual([]);
    expect((await listTriggers(h.deps(), alice)).map((x) => x.name)).toContain('a-listed');
  });

  it("is 403 on team-b's pipeline, runs, task runs, logs and deliveries, naming resource, action and object", async () => {
    await expect(getPipeline(h.deps(), alice, 'build-b')).rejects.toMatchObject(
      denied('pipelines', 'get', 'team-b/build-b'),
    );
    await expect(getPipelineRun(h.deps(), alice, bobRuns[0])).rejects.toMatchObject(
      denied('pipelineruns', 'get', `team-b/${bobRuns[0]}`),
    );
    await expect(listTaskRuns(h.deps(), alice, { pipelineRun: bobRuns[0], limit: 5 })).rejects.toMatchObject(
      denied('pipelineruns', 'get', `team-b/${bobRuns[0]}`),
    );
    await expect(findAuthorizedTaskRun(h.deps(), alice, bobTaskRun, { logs: true })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await h.apply(
      bob,
      `{ apiVersion: v1, kind: Secret, metadata: { name: b-hook, namespace: team-b }, stringData: { token: s } }
---
{ apiVersion: keelson.dev/v1alpha1, kind: Trigger, metadata: { name: b-trigger, namespace: team-b }, spec: { pipelineRef: { name: build-b }, provider: github, secretRef: { name: b-hook, key: token } } }`,
    );
    await expect(listDeliveries(h.deps(), alice, 'b-trigger')).rejects.toMatchObject(
      denied('triggers', 'get', 'team-b/b-trigger'),
    );
  });

  it("logs need `logs, get` besides the run's `pipelineruns, get`", async () => {
    await expect(findAuthorizedTaskRun(h.deps(), bob, bobTaskRun, { logs: true })).resolves.toMatchObject({
      name: bobTaskRun,
    });
    const stores = h.t.deps().accessStores;
    const team = (await stores.projects.get('team-b'))!.project;
    const noLogs = structuredClone(team);
    noLogs.spec.roles![0].policies = noLogs.spec.roles![0].policies!.filter((p) => !p.includes(', logs,'));
    await stores.projects.put(noLogs, 'test');
    await expect(findAuthorizedTaskRun(h.deps(), bob, bobTaskRun)).resolves.toBeDefined();
    await expect(findAuthorizedTaskRun(h.deps(), bob, bobTaskRun, { logs: true })).rejects.toMatchObject(
      denied('logs', 'get', `team-b/${bobTaskRun}`),
    );
    await stores.projects.put(team, 'test');
  });
});

describe('what a team-a role may not change', () => {
  it("start, rerun, cancel and delete of team-b's pipeline and runs: 403, nothing written, no audit row", async () => {
    const before = await h.counts();
    const audit = (await h.t.handle.db.select().from(auditLog)).length;
    await expect(startPipeline(h.deps(), alice, 'build-b', {})).rejects.toMatchObject(
      denied('pipelineruns', 'create', /^team-b\/build-b-run-/),
    );
    await expect(rerunPipelineRun(h.deps(), alice, bobRuns[0])).rejects.toMatchObject(
      denied('pipelineruns', 'get', `team-b/${bobRuns[0]}`),
    );
    await expect(cancelPipelineRun(h.deps(), alice, bobRuns[0], 'Cancelled')).rejects.toMatchObject(
      denied('pipelineruns', 'cancel', `team-b/${bobRuns[0]}`),
    );
    await expect(deletePipelineRun(h.deps(), alice, bobRuns[0])).rejects.toMatchObject(
      denied('pipelineruns', 'delete', `team-b/${bobRuns[0]}`),
    );
    await expect(deletePipeline(h.deps(), alice, 'build-b')).rejects.toMatchObject(
      denied('pipelines', 'delete', 'team-b/build-b'),
    );
    expect(await h.counts()).toEqual(before);
    expect((await h.t.handle.db.select().from(auditLog)).length).toBe(audit);
    const [run] = await h.t.handle.db.select().from(pipelineRuns).where(eq(pipelineRuns.name, bobRuns[0]));
    expect(run.spec.run.status).toBeUndefined();
  });

  it('apply: a denied document is 403 naming it, and nothing of the batch is written', async () => {
    const before = await h.counts();
    const err = await h
      .apply(
        alice,
        `${taskAndPipeline('team-a', 'greet-a2', 'build-a2')}---
{ apiVersion: v1, kind: ConfigMap, metadata: { name: b-settings, namespace: team-b }, data: { a: b } }`,
      )
      .catch((e: unknown) => e);
    expect(err).toMatchObject(denied('pipelines', 'update', 'team-b/b-settings'));
    expect((err as Error).message).toContain('documents[2] (ConfigMap team-b/b-settings)');
    expect(await h.counts()).toEqual(before);
    await expect(
      h.apply(
        alice,
        `{ apiVersion: v1, kind: Secret, metadata: { name: b-token, namespace: team-b }, stringData: { t: x } }`,
      ),
    ).rejects.toMatchObject(denied('secrets', 'create', 'team-b/b-token'));
    await expect(
      h.apply(
        alice,
        `{ apiVersion: tekton.dev/v1, kind: PipelineRun, metadata: { name: b-run-by-a, namespace: team-b }, spec: { pipelineRef: { name: build-b } } }`,
      ),
    ).rejects.toMatchObject(denied('pipelineruns', 'create', 'team-b/b-run-by-a'));
    expect(await h.counts()).toEqual(before);
  });
});

describe('trigger service accounts', () => {
  const deliver = (trigger: string, id: string) => {
    const body = pushPayload('refs/heads/main');
    return receiveTriggerDelivery(h.deps(), box, trigger, signedPush(body, id, 's'), body);
  };

  it('spec.serviceAccountName must name a role of the trigger project (400 at the field)', async () => {
    await expect(h.apply(alice, triggerDocs('a-bad-sa', 'nobody'))).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      details: { issues: [{ path: 'documents[0].spec.serviceAccountName' }] },
    });
  });

  it('a role allowed to create runs starts the run; the run and its audit row name trigger and account', async () => {
    await h.apply(alice, triggerDocs('a-deploy', 'deployer'));
    const out = await deliver('a-deploy', 'd-1');
    expect(out).toMatchObject({ outcome: 'started', httpStatus: 201 });
    const [run] = await h.t.handle.db.select().from(pipelineRuns).where(eq(pipelineRuns.name, out.run!.name));
    expect(run).toMatchObject({ project: 'team-a', createdBy: 'trigger:a-deploy (proj:team-a:deployer)' });
    const [row] = await h.t.handle.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.target, `pipelinerun/${run.name}`));
    expect(row).toMatchObject({ actor: 'trigger:a-deploy (proj:team-a:deployer)', via: 'trigger' });
    expect(row.details).toMatchObject({ trigger: 'a-deploy', serviceAccount: 'deployer' });
  });

  it('a role without pipelineruns create is refused: no run, the delivery records why', async () => {
    await h.apply(alice, triggerDocs('a-watch', 'watcher'));
    const before = await h.counts();
    const out = await deliver('a-watch', 'd-2');
    expect(out).toMatchObject({ outcome: 'error', httpStatus: 422 });
    expect(out.reason).toContain('permission denied: pipelineruns, create, team-a/build-a-run-');
    expect((await h.counts()).runs).toBe(before.runs);
  });

  it("without serviceAccountName the implicit account starts runs of the trigger's own project", async () => {
    await h.apply(alice, triggerDocs('a-implicit'));
    const out = await deliver('a-implicit', 'd-3');
    expect(out).toMatchObject({ outcome: 'started' });
    const [run] = await h.t.handle.db.select().from(pipelineRuns).where(eq(pipelineRuns.name, out.run!.name));
    expect(run).toMatchObject({ project: 'team-a', createdBy: 'trigger:a-implicit' });
  });
});
