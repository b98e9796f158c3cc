import { beforeAll, describe, expect, it } from 'vitest';
import type { RepoMirrors } from '../../lib/adapters/git';
import { defaultProject } from '../../lib/domain/gitops/projects';
import { applyDocuments } from '../../lib/server/pipeline/apply-documents';
import { deletePipeline } from '../../lib/server/pipeline/delete-pipeline';
import { findAuthorizedTaskRun } from '../../lib/server/pipeline/find-task-run';
import { getPipeline } from '../../lib/server/pipeline/get-pipeline';
import { getPipelineRun } from '../../lib/server/pipeline/get-pipeline-run';
import { listPipelines } from '../../lib/server/pipeline/list-pipelines';
import { listDeliveries, listTriggers } from '../../lib/server/pipeline/list-triggers';
import { createRefFetcher } from '../../lib/server/pipeline/ref-fetcher';
import type { RefFetcher } from '../../lib/server/pipeline/remote-refs';
import { reconcilePipelineRun } from '../../lib/server/pipeline/reconcile-pipeline-run';
import { rerunPipelineRun } from '../../lib/server/pipeline/rerun-pipeline-run';
import { startPipeline } from '../../lib/server/pipeline/start-pipeline';
import { alice, bob, box, ops, taskAndPipeline, useProjects } from './pipeline-projects-support';
import { principal } from './support/principals';

/** The security review's findings on the pipeline side, each reproduced as its exploit. */
const h = useProjects();
const carol = principal('carol', ['starters'], 'session'); // may start build-a's runs only
const tina = principal('tina', ['trigger-authors'], 'session'); // triggers + secrets, no pipelineruns create
const rita = principal('rita', ['nobody'], 'session'); // no role at all

/** A fake RepoMirrors that counts what the git resolver asks of it and serves nothing. */
function countingMirrors() {
  const calls: string[] = [];
  const fail = (what: string) => async (repo: { url: string }) => {
    calls.push(`${what} ${repo.url}`);
    throw new Error('not served in this test');
  };
  const mirrors = { resolveRevision: fail('resolve'), readTree: fail('read') } as unknown as RepoMirrors;
  return { calls, mirrors };
}

const applyWith = (who: typeof alice, yaml: string, fetchRef: RefFetcher) =>
  applyDocuments(h.ed(), who, yaml, box, undefined, fetchRef);

const clusterTaskRef = (name: string, namespace?: string) =>
  `{ resolver: cluster, params: [{ name: kind, value: task }, { name: name, value: ${name} }${namespace ? `, { name: namespace, value: ${namespace} }` : ''}] }`;

beforeAll(async () => {
  await h.apply(alice, taskAndPipeline('team-a', 'greet-a', 'build-a'));
  await h.apply(
    alice,
    `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: deploy-a, namespace: team-a }
spec: { tasks: [{ name: t, taskRef: { name: greet-a } }] }
`,
  );
  await h.apply(bob, taskAndPipeline('team-b', 'b-secret-task', 'build-b'));
  const stores = h.t.deps().accessStores;
  const a = (await stores.projects.get('team-a'))!.project;
  a.spec.roles!.push(
    {
      name: 'starter',
      groups: ['starters'],
      policies: ['p, proj:team-a:starter, pipelineruns, create, team-a/build-a-run-*, allow'],
    },
    {
      name: 'trigauthor',
      groups: ['trigger-authors'],
      policies: [
        'p, proj:team-a:trigauthor, triggers, create, team-a/*, allow',
        'p, proj:team-a:trigauthor, secrets, create, team-a/*, allow',
      ],
    },
  );
  await stores.projects.put(a, 'test');
  const locked = defaultProject();
  locked.metadata.name = 'locked';
  locked.spec.sourceRepos = ['https://git.example.com/allowed/*'];
  await stores.projects.put(locked, 'test');
});

describe('the cluster resolver resolves within the document’s project only', () => {
  const fetchRef = () => createRefFetcher(h.ed(), box, countingMirrors().mirrors);
  const stealing = (ref: string) => `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: steal, namespace: team-a }
spec: { tasks: [{ name: t, taskRef: ${ref} }] }
`;

  it('refuses a namespace param naming another project (400 naming the param), storing nothing', async () => {
    const err = await applyWith(alice, stealing(clusterTaskRef('b-secret-task', 'team-b')), fetchRef()).catch((e) => e);
    expect(err).toMatchObject({ code: 'BAD_REQUEST' });
    expect(err.message).toContain('the param "namespace" is "team-b"');
    expect((await h.t.deps().stores.definitions.latest('Pipeline', ['steal'])).get('steal')).toBeUndefined();
  });

  it("answers another project's Task as not found in the document's project, without naming its owner", async () => {
    const err = await applyWith(alice, stealing(clusterTaskRef('b-secret-task')), fetchRef()).catch((e) => e);
    expect(err).toMatchObject({ code: 'BAD_REQUEST' });
    expect(err.message).toContain('no Task named "b-secret-task" in project "team-a"');
    expect(err.message).not.toContain('team-b');
  });

  it("refuses a PipelineRun's pipelineRef (kind pipeline) to another project's Pipeline", async () => {
    const yaml = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { generateName: x-, namespace: team-a }
spec: { pipelineRef: { resolver: cluster, params: [{ name: kind, value: pipeline }, { name: name, value: build-b }] } }
`;
    const err = await applyWith(alice, yaml, fetchRef()).catch((e) => e);
    expect(err).toMatchObject({ code: 'BAD_REQUEST' });
    expect(err.message).toContain('no Pipeline named "build-b" in project "team-a"');
  });

  it('still resolves a Task of the own project (namespace param equal to it, or absent)', async () => {
    const yaml = stealing(clusterTaskRef('greet-a', 'team-a')).replace('steal', 'own-copy');
    const out = await applyWith(alice, yaml, fetchRef());
    expect(out.applied).toEqual([{ kind: 'Pipeline', name: 'own-copy', action: 'created' }]);
  });
});

describe('remote refs are fetched only for an authorized document, from a repository its project permits', () => {
  const gitPipeline = (project: string, url: string) => `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: from-git-${project}, namespace: ${project} }
spec:
  tasks:
    - name: t
      taskRef: { resolver: git, params: [{ name: url, value: "${url}" }, { name: pathInRepo, value: task.yaml }] }
`;

  it('a caller who may not create the Pipeline gets 403 and the server fetches nothing', async () => {
    let fetches = 0;
    const counting: RefFetcher = async () => {
      fetches += 1;
      return { steps: [{ name: 's', image: 'alpine', script: 'true' }] };
    };
    const err = await applyWith(rita, gitPipeline('team-a', 'https://git.example.com/x/y.git'), counting).catch(
      (e) => e,
    );
    expect(err).toMatchObject({ code: 'FORBIDDEN' });
    expect(fetches).toBe(0);
  });

  it("a repository outside the project's sourceRepos is refused with the rule, before any git command", async () => {
    const { calls, mirrors } = countingMirrors();
    const fetchRef = createRefFetcher(h.ed(), box, mirrors);
    const err = await applyWith(ops, gitPipeline('locked', 'https://git.example.com/other/repo.git'), fetchRef).catch(
      (e) => e,
    );
    expect(err).toMatchObject({ code: 'BAD_REQUEST' });
    expect(err.message).toContain('project "locked" does not permit the repository');
    expect(calls).toEqual([]);
    // A permitted repository is asked for (the fake serves nothing, so the apply still fails, at the fetch).
    await applyWith(ops, gitPipeline('locked', 'https://git.example.com/allowed/repo.git'), fetchRef).catch(() => 0);
    expect(calls).toEqual(['resolve https://git.example.com/allowed/repo.git']);
  });
});

describe('a run is authorized as a run of its Pipeline, not only by the name its caller picks', () => {
  it('a role allowed `team-a/build-a-run-*` starts build-a but not deploy-a under a build-a-run- name', async () => {
    await expect(startPipeline(h.deps(), carol, 'build-a', {})).resolves.toBeDefined();
    await expect(startPipeline(h.deps(), carol, 'deploy-a', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(startPipeline(h.deps(), carol, 'deploy-a', { generateName: 'build-a-run-' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { denied: { object: 'team-a/deploy-a-run-*' } },
    });
  });

  it('nor by applying a PipelineRun of deploy-a named build-a-run-…, by name or through the cluster resolver', async () => {
    const before = await h.counts();
    const byName = `{ apiVersion: tekton.dev/v1, kind: PipelineRun, metadata: { name: build-a-run-evil, namespace: team-a }, spec: { pipelineRef: { name: deploy-a } } }`;
    await expect(h.apply(carol, byName)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const viaResolver = `{ apiVersion: tekton.dev/v1, kind: PipelineRun, metadata: { name: build-a-run-evil2, namespace: team-a }, spec: { pipelineRef: { resolver: cluster, params: [{ name: kind, value: pipeline }, { name: name, value: deploy-a }] } } }`;
    const fetchRef = createRefFetcher(h.ed(), box, countingMirrors().mirrors);
    await expect(applyWith(carol, viaResolver, fetchRef)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await h.counts()).toEqual(before);
  });

  it("a rerun of deploy-a's run is refused to carol", async () => {
    const run = await startPipeline(h.deps(), alice, 'deploy-a', { generateName: 'build-a-run-' });
    await expect(rerunPipelineRun(h.deps(), carol, run.name)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('creating a Trigger needs the power its deliveries get', () => {
  it('a role with only triggers create and secrets create cannot create a Trigger (so cannot get a run started)', async () => {
    const before = await h.counts();
    const yaml = `{ apiVersion: v1, kind: Secret, metadata: { name: tina-hook, namespace: team-a }, stringData: { token: k } }
---
{ apiVersion: keelson.dev/v1alpha1, kind: Trigger, metadata: { name: tina-t, namespace: team-a }, spec: { pipelineRef: { name: deploy-a }, provider: github, secretRef: { name: tina-hook, key: token } } }`;
    const err = await h.apply(tina, yaml).catch((e) => e);
    expect(err).toMatchObject({ code: 'FORBIDDEN', details: { denied: { resource: 'projects', action: 'update' } } });
    expect(await h.counts()).toEqual(before);
    expect((await listTriggers(h.deps(), ops)).map((t) => t.name)).not.toContain('tina-t');
  });

  it('a team member allowed to create any run of the project may create one', async () => {
    const yaml = `{ apiVersion: v1, kind: Secret, metadata: { name: alice-hook, namespace: team-a }, stringData: { token: k } }
---
{ apiVersion: keelson.dev/v1alpha1, kind: Trigger, metadata: { name: alice-t, namespace: team-a }, spec: { pipelineRef: { name: deploy-a }, provider: github, secretRef: { name: alice-hook, key: token } } }`;
    await expect(h.apply(alice, yaml)).resolves.toBeDefined();
  });
});

describe("the pipeline list shows a pipeline's own project's last run", () => {
  it("a team-a pipeline named like a deleted team-b one does not show team-b's run", async () => {
    await h.apply(bob, taskAndPipeline('team-b', 'greet-b', 'shared'));
    await startPipeline(h.deps(), bob, 'shared', {});
    await deletePipeline(h.deps(), bob, 'shared');
    await h.apply(
      alice,
      `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: shared, namespace: team-a }
spec: { tasks: [{ name: t, taskRef: { name: greet-a } }] }
`,
    );
    const mine = (await listPipelines(h.deps(), alice)).find((p) => p.name === 'shared');
    expect(mine).toBeDefined();
    expect(mine?.lastRun ?? null).toBeNull();
  });
});

describe('no existence oracle: a missing object reads as forbidden to a caller who could not have seen it', () => {
  it('answers 403 to a team member and 404 to one who may get that name in any project (the admin)', async () => {
    const lookups = (who: typeof alice) => [
      () => getPipelineRun(h.deps(), who, 'no-such-run'),
      () => findAuthorizedTaskRun(h.deps(), who, 'no-such-taskrun'),
      () => getPipeline(h.deps(), who, 'no-such-pipeline'),
      () => deletePipeline(h.deps(), who, 'no-such-pipeline'),
      () => listDeliveries(h.deps(), who, 'no-such-trigger'),
    ];
    for (const lookup of lookups(alice)) await expect(lookup()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    for (const lookup of lookups(ops)) await expect(lookup()).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it("a name conflict names another project only to a caller who may get the owner's object", async () => {
    const task = `apiVersion: tekton.dev/v1
kind: Task
metadata: { name: b-secret-task, namespace: team-a }
spec: { steps: [{ name: s, image: alpine, script: 'echo hi' }] }
`;
    const hidden = await h.apply(alice, task).catch((e) => e);
    expect(hidden).toMatchObject({ code: 'CONFLICT' });
    expect(hidden.message).toContain('already exists in another project');
    expect(hidden.message).not.toContain('team-b');
    const shown = await h.apply(ops, task).catch((e) => e);
    expect(shown.message).toContain('already exists in project "team-b"');
  });

  it("a run of another project's Pipeline does not name that project", async () => {
    const run = `{ apiVersion: tekton.dev/v1, kind: PipelineRun, metadata: { generateName: x-, namespace: team-a }, spec: { pipelineRef: { name: build-b } } }`;
    const err = await h.apply(alice, run).catch((e) => e);
    expect(err).toMatchObject({ code: 'BAD_REQUEST' });
    expect(err.message).not.toContain('team-b');
  });
});

describe('a name another project takes during an apply is not written over', () => {
  it('the companion store leaves another project’s row alone and says so (null)', async () => {
    const companions = h.t.deps().stores.companions;
    const cm = (project: string, value: string) => ({
      kind: 'ConfigMap' as const,
      name: 'raced-cm',
      project,
      data: { data: { v: value } },
      createdBy: 'test',
    });
    expect(await companions.upsert(cm('team-a', 'a'), new Date())).toBe('created');
    expect(await companions.upsert(cm('team-a', 'a2'), new Date())).toBe('configured');
    expect(await companions.upsert(cm('team-b', 'b'), new Date())).toBeNull();
    expect(await companions.find('ConfigMap', 'raced-cm')).toMatchObject({
      project: 'team-a',
      data: { data: { v: 'a2' } },
    });
  });

  it('a definition whose owner changed since the check is refused inside the write (409), not taken over', async () => {
    const ed = h.ed();
    // What authorizeDocuments read before another project's apply committed: no such Task yet.
    const stale = { ...ed.stores, definitions: { ...ed.stores.definitions, latest: async () => new Map() } };
    const task = `apiVersion: tekton.dev/v1
kind: Task
metadata: { name: greet-a, namespace: team-b }
spec: { steps: [{ name: s, image: alpine, script: 'echo taken' }] }
`;
    const err = await applyDocuments({ ...ed, stores: stale }, bob, task, box).catch((e) => e);
    expect(err).toMatchObject({ code: 'CONFLICT' });
    expect((await ed.stores.definitions.latest('Task', ['greet-a'])).get('greet-a')?.project).toBe('team-a');
  });
});

describe("a standalone TaskRun cannot take a PipelineRun's child's name", () => {
  const taskRun = (name: string, project: string, task: string) =>
    `{ apiVersion: tekton.dev/v1, kind: TaskRun, metadata: { name: ${name}, namespace: ${project} }, spec: { taskRef: { name: ${task} } } }`;

  it("refuses (409) a TaskRun named as an existing PipelineRun's child `<run>-<task>`", async () => {
    const run = await startPipeline(h.deps(), alice, 'build-a', {});
    const before = await h.counts();
    const err = await h.apply(alice, taskRun(`${run.name}-t`, 'team-a', 'greet-a')).catch((e) => e);
    expect(err).toMatchObject({ code: 'CONFLICT' });
    expect(await h.counts()).toEqual(before);
    // Only names of that run's tasks (`t`, and `t-<i>` for a matrix) are kept.
    await expect(h.apply(alice, taskRun(`${run.name}-t-0`, 'team-a', 'greet-a'))).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(h.apply(alice, taskRun(`${run.name}-solo`, 'team-a', 'greet-a'))).resolves.toBeDefined();
  });

  it('a PipelineRun whose child name a TaskRun already holds runs it under a suffixed name, leaving that TaskRun alone', async () => {
    await h.apply(bob, taskRun('early-t', 'team-b', 'b-secret-task'));
    const { runs } = await h.apply(
      alice,
      `{ apiVersion: tekton.dev/v1, kind: PipelineRun, metadata: { name: early, namespace: team-a }, spec: { pipelineRef: { name: build-a } } }`,
    );
    await reconcilePipelineRun(h.ed(), runs[0].id);
    const row = await h.t.deps().stores.runs.findByName('early');
    // Not failed, as it was before free-task-run-names.ts: upstream's kmeta.ChildName avoids the collision too.
    expect(row?.conditionStatus).not.toBe('False');
    const own = await h.t.deps().stores.taskRuns.scheduleRows(runs[0].id);
    expect(own.map((r) => r.name)).toEqual([expect.stringMatching(/^early-t-[a-z0-9]{5}$/)]);
    expect(await h.t.deps().stores.taskRuns.findByName('early-t')).toMatchObject({
      project: 'team-b',
      pipelineRunId: null,
    });
  });
});

describe('a role granting runs by name pattern cannot run an inline spec or another definition under such a name', () => {
  it('refuses carol an inline PipelineRun and a TaskRun of a stored Task named build-a-run-…', async () => {
    const before = await h.counts();
    const inline = `{ apiVersion: tekton.dev/v1, kind: PipelineRun, metadata: { name: build-a-run-inline, namespace: team-a }, spec: { pipelineSpec: { tasks: [{ name: t, taskSpec: { steps: [{ name: s, image: alpine, script: 'echo any code' }] } }] } } }`;
    await expect(h.apply(carol, inline)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { denied: { object: 'team-a/*' } },
    });
    const taskRun = `{ apiVersion: tekton.dev/v1, kind: TaskRun, metadata: { name: build-a-run-tr, namespace: team-a }, spec: { taskRef: { name: greet-a } } }`;
    await expect(h.apply(carol, taskRun)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { denied: { object: 'team-a/greet-a-run-*' } },
    });
    expect(await h.counts()).toEqual(before);
  });
});
