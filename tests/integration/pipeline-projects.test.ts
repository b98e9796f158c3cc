import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { definitions, taskRuns } from '../../lib/adapters/db/schema';
import { getPipeline } from '../../lib/server/pipeline/get-pipeline';
import { getPipelineRun } from '../../lib/server/pipeline/get-pipeline-run';
import { listPipelines } from '../../lib/server/pipeline/list-pipelines';
import { listTaskRuns } from '../../lib/server/pipeline/list-task-runs';
import { listTriggers } from '../../lib/server/pipeline/list-triggers';
import { startPipeline } from '../../lib/server/pipeline/start-pipeline';
import { receiveTriggerDelivery } from '../../lib/server/webhooks/receive-trigger-delivery';
import { alice, bob, box, ops, projectOfRun, taskAndPipeline, useProjects } from './pipeline-projects-support';
import { pushPayload, signedPush } from './support/trigger-fixtures';

/**
 * Pipelines belong to projects: a Tekton document's metadata.namespace names its project (absent: default),
 * names stay unique across projects, and a Pipeline or run only uses what its own project holds.
 */
const h = useProjects();

/** A PipelineRun of `project` binding team-a's Secret a-creds as a workspace (and, with `env`, as a variable). */
const secretRun = (project: string, prefix: string, env = '') => `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { generateName: ${prefix}, namespace: ${project} }
spec:
  pipelineSpec:
    workspaces: [{ name: creds }]
    tasks: [{ name: t, workspaces: [{ name: creds }], taskSpec: { workspaces: [{ name: creds }], steps: [{ name: s, image: alpine${env}, script: 'cat $(workspaces.creds.path)/token' }] } }]
  workspaces: [{ name: creds, secret: { secretName: a-creds } }]
`;
const SECRET_VALUE = 'TOP-SECRET-VALUE-7f3a';

beforeAll(async () => {
  await h.apply(alice, taskAndPipeline('team-a', 'greet-a', 'build-a'));
  await h.apply(bob, taskAndPipeline('team-b', 'greet-b', 'build-b'));
  await h.apply(
    alice,
    `{ apiVersion: v1, kind: Secret, metadata: { name: a-creds, namespace: team-a }, stringData: { token: ${SECRET_VALUE} } }`,
  );
});

describe('the project of a document', () => {
  it('is its metadata.namespace, stored in the project column and shown as metadata.namespace', async () => {
    const rows = await h.t.handle.db.select().from(definitions).where(eq(definitions.name, 'build-a'));
    expect(rows.map((r) => r.project)).toEqual(['team-a']);
    const detail = await getPipeline(h.deps(), alice, 'build-a');
    expect(detail).toMatchObject({ project: 'team-a', document: { metadata: { namespace: 'team-a' } } });
    const run = await startPipeline(h.deps(), alice, 'build-a', {});
    expect(await projectOfRun(h.t, run.name)).toBe('team-a');
    expect((await getPipelineRun(h.deps(), alice, run.name)).metadata.namespace).toBe('team-a');
  });

  it('is `default` without metadata.namespace', async () => {
    await h.apply(ops, taskAndPipeline('default', 'greet-d', 'build-d').replaceAll(', namespace: default', ''));
    expect((await getPipeline(h.deps(), ops, 'build-d')).project).toBe('default');
  });

  it('must exist: 400 at metadata.namespace saying how to create it, and nothing is stored', async () => {
    const before = await h.counts();
    const err = await h.apply(ops, taskAndPipeline('nope', 'greet-n', 'build-n')).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'BAD_REQUEST',
      details: { issues: [{ path: 'documents[0].metadata.namespace', message: 'no project named "nope"' }] },
    });
    expect((err as { details: { hint: string } }).details.hint).toContain('keelson proj create nope');
    expect(await h.counts()).toEqual(before);
  });

  it('does not make names per project: another project applying a taken name gets 409 naming the owner', async () => {
    // Named to a caller who may see the owner's object (the admin)...
    const err = await h.apply(ops, taskAndPipeline('team-b', 'greet-a', 'build-a')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFLICT' });
    expect((err as Error).message).toContain('already exists in project "team-a"');
    // ...and only "another project" to one who may not (security review: no oracle of other teams' names' owners).
    const hidden = await h.apply(bob, taskAndPipeline('team-b', 'greet-a', 'build-a')).catch((e: unknown) => e);
    expect(hidden).toMatchObject({ code: 'CONFLICT' });
    expect((hidden as Error).message).toContain('already exists in another project');
    expect((hidden as Error).message).not.toContain('team-a');
  });

  it("a standalone TaskRun and a PipelineRun's TaskRuns are of the run's project", async () => {
    const { runs } = await h.apply(
      alice,
      `{ apiVersion: tekton.dev/v1, kind: TaskRun, metadata: { generateName: solo-, namespace: team-a }, spec: { taskRef: { name: greet-a } } }`,
    );
    const [row] = await h.t.handle.db.select().from(taskRuns).where(eq(taskRuns.name, runs[0].name));
    expect(row.project).toBe('team-a');
  });
});

describe('isolation between projects', () => {
  it("refuses a Pipeline referring to another project's Task like a missing one, without naming that project", async () => {
    const before = await h.counts();
    const err = await h
      .apply(
        bob,
        `{ apiVersion: tekton.dev/v1, kind: Pipeline, metadata: { name: steal, namespace: team-b }, spec: { tasks: [{ name: t, taskRef: { name: greet-a } }] } }`,
      )
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BAD_REQUEST' });
    const issues = (err as { details: { issues: { path: string; message: string }[] } }).details.issues;
    expect(issues[0].path).toBe('documents[0].spec.tasks[0].taskRef.name');
    expect(issues[0].message).toContain(
      'does not exist in project "team-b" (a Task of that name belongs to another project)',
    );
    expect(issues[0].message).not.toContain('team-a');
    expect(await h.counts()).toEqual(before);
  });

  it("refuses a TaskRun of another project's Task and a PipelineRun of another project's Pipeline", async () => {
    const taskRun = await h
      .apply(
        bob,
        `{ apiVersion: tekton.dev/v1, kind: TaskRun, metadata: { generateName: x-, namespace: team-b }, spec: { taskRef: { name: greet-a } } }`,
      )
      .catch((e: unknown) => e);
    expect((taskRun as Error).message).toContain('in project "team-b" (it belongs to another project)');
    expect((taskRun as Error).message).not.toContain('team-a');
    const pipelineRun = await h
      .apply(
        bob,
        `{ apiVersion: tekton.dev/v1, kind: PipelineRun, metadata: { generateName: x-, namespace: team-b }, spec: { pipelineRef: { name: build-a } } }`,
      )
      .catch((e: unknown) => e);
    expect(pipelineRun).toMatchObject({ code: 'BAD_REQUEST' });
    expect((pipelineRun as Error).message).toContain('in project "team-b" (it belongs to another project)');
    expect((pipelineRun as Error).message).not.toContain('team-a');
  });

  it("refuses a run binding another project's Secret, without naming the project, and stores nothing", async () => {
    const before = await h.counts();
    const err = await h.apply(bob, secretRun('team-b', 'leak-')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BAD_REQUEST' });
    expect((err as Error).message).toContain('Secret "a-creds" belongs to another project');
    expect((err as Error).message).not.toContain('team-a');
    expect(await h.counts()).toEqual(before);
  });

  it("a trigger's pipelineRef resolves in the trigger's project only", async () => {
    await h.apply(
      bob,
      `{ apiVersion: v1, kind: Secret, metadata: { name: b-hook, namespace: team-b }, stringData: { token: s } }
---
{ apiVersion: keelson.dev/v1alpha1, kind: Trigger, metadata: { name: b-steals, namespace: team-b }, spec: { pipelineRef: { name: build-a }, provider: github, secretRef: { name: b-hook, key: token } } }`,
    );
    const body = pushPayload('refs/heads/main');
    const out = await receiveTriggerDelivery(h.deps(), box, 'b-steals', signedPush(body, 'd-x', 's'), body);
    expect(out).toMatchObject({ outcome: 'error', httpStatus: 422 });
    expect(out.reason).toContain('it belongs to another project');
  });
});

describe('secret values', () => {
  it('are never returned by any pipeline API', async () => {
    const applied = await h.apply(
      alice,
      secretRun(
        'team-a',
        'uses-',
        ', env: [{ name: TOKEN, valueFrom: { secretKeyRef: { name: a-creds, key: token } } }]',
      ),
    );
    const answers = [
      applied,
      await getPipelineRun(h.deps(), alice, applied.runs[0].name),
      await listTaskRuns(h.deps(), alice, { limit: 50 }),
      await listPipelines(h.deps(), alice),
      await listTriggers(h.deps(), ops),
      await getPipeline(h.deps(), alice, 'build-a'),
    ];
    for (const answer of answers) expect(JSON.stringify(answer)).not.toContain(SECRET_VALUE);
  });
});
