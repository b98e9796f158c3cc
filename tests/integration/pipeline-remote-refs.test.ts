import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { definitions, pipelineRuns, users } from '../../lib/adapters/db/schema';
import { createRepoMirrors } from '../../lib/adapters/git';
import { AppError } from '../../lib/errors';
import { applyDocuments, type RunStarter } from '../../lib/server/pipeline/apply-documents';
import { createRefFetcher } from '../../lib/server/pipeline/ref-fetcher';
import type { RefFetcher } from '../../lib/server/pipeline/remote-refs';
import { createPipelineRun } from '../../lib/server/pipeline/create-pipeline-run';
import type { Principal } from '../../lib/server/principal';
import { secretBox } from '../../lib/server/security/secret-box';
import { createTestRepo, type TestRepo } from './support/git-repos';
import { grantAdmin } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';

let t: TestDatabase;
let me: Principal;
let repo: TestRepo;
let fetchRef: RefFetcher;
const box = secretBox('remote-refs-test-key-'.repeat(2));
const starter: RunStarter = async (tx, doc) => ({
  kind: 'PipelineRun',
  ...(await createPipelineRun(tx, doc as never, 'ci', new Date())),
});

const task = (name: string, message: string) => `apiVersion: tekton.dev/v1beta1
kind: Task
metadata: {name: ${name}}
spec:
  params: [{name: who, default: world}]
  steps:
    - {name: say, image: alpine, script: 'echo "${message} $(params.who)"'}
`;

beforeAll(async () => {
  t = await testDatabase();
  await grantAdmin(t, 'ci');
  const [u] = await t.handle.db.insert(users).values({ username: 'ci' }).returning();
  me = { userId: u.id, username: 'ci', name: null, role: 'user', groups: [], via: 'token' };
  repo = await createTestRepo({
    files: {
      'tasks/greet.yaml': task('greet', 'hello'),
      // One byte more than `keelson apply` takes: refused before it is read (issue 13, F4).
      'tasks/huge.yaml': `#${' '.repeat(10 * 1024 * 1024)}`,
      'pipelines/hello.yaml': `apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: hello}\nspec:\n  tasks:\n    - name: greet\n      taskRef:\n        resolver: git\n        params:\n          - {name: url, value: "${'URL'}"}\n          - {name: pathInRepo, value: tasks/greet.yaml}\n`,
    },
  });
  // The Pipeline in the repo points back at the same repo for its Task.
  await repo.commit(
    {
      'pipelines/hello.yaml': (await import('node:fs'))
        .readFileSync(path.join(repo.workDir, 'pipelines/hello.yaml'), 'utf8')
        .replace('URL', repo.url),
    },
    'point at self',
  );
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'keelson-refs-'));
  fetchRef = createRefFetcher(t.deps(), box, createRepoMirrors({ cacheDir, allowLocal: true }));
});
afterAll(() => repo?.cleanup());

const gitRef = (params: Record<string, string>) => ({
  resolver: 'git',
  params: Object.entries(params).map(([name, value]) => ({ name, value })),
});

it('resolves a git taskRef when a Pipeline is applied: the stored Pipeline holds the Task inline (v1beta1 read as v1)', async () => {
  const doc = {
    apiVersion: 'tekton.dev/v1',
    kind: 'Pipeline',
    metadata: { name: 'uses-git' },
    spec: {
      tasks: [
        {
          name: 'greet',
          taskRef: gitRef({ url: repo.url, revision: 'main', pathInRepo: 'tasks/greet.yaml' }),
          params: [{ name: 'who', value: 'keelson' }],
        },
      ],
    },
  };
  const { applied } = await applyDocuments(t.deps(), me, doc, box, undefined, fetchRef);
  expect(applied).toEqual([{ kind: 'Pipeline', name: 'uses-git', action: 'created' }]);
  const [stored] = await t.handle.db.select().from(definitions).where(eq(definitions.name, 'uses-git'));
  const storedTask = (stored.document as { spec: { tasks: Record<string, unknown>[] } }).spec.tasks[0];
  expect(storedTask.taskRef).toBeUndefined();
  expect(storedTask.taskSpec).toMatchObject({ steps: [{ name: 'say', script: 'echo "hello $(params.who)"' }] });
});

it("resolves a git pipelineRef of a PipelineRun, and the Pipeline's own git taskRef, from YAML", async () => {
  const yaml = `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {generateName: remote-}\nspec:\n  pipelineRef:\n    resolver: git\n    params:\n      - {name: url, value: "${repo.url}"}\n      - {name: pathInRepo, value: pipelines/hello.yaml}\n`;
  const { runs } = await applyDocuments(t.deps(), me, yaml, box, starter, fetchRef);
  const [run] = await t.handle.db.select().from(pipelineRuns).where(eq(pipelineRuns.id, runs[0].id));
  const frozen = run.spec as {
    pipelineSpec: { tasks: { taskSpec?: unknown }[] };
    taskSpecs: Record<string, { steps: { script: string }[] }>;
  };
  expect(frozen.taskSpecs.greet.steps[0].script).toBe('echo "hello $(params.who)"');
});

it('resolves the cluster resolver to a Task applied here', async () => {
  await applyDocuments(t.deps(), me, task('local-greet', 'hi').replace('v1beta1', 'v1'), box);
  const doc = {
    apiVersion: 'tekton.dev/v1',
    kind: 'Pipeline',
    metadata: { name: 'uses-cluster' },
    spec: {
      tasks: [
        {
          name: 'a',
          taskRef: {
            resolver: 'cluster',
            params: [
              { name: 'kind', value: 'task' },
              { name: 'name', value: 'local-greet' },
              { name: 'namespace', value: 'default' },
            ],
          },
        },
      ],
    },
  };
  await applyDocuments(t.deps(), me, doc, box, undefined, fetchRef);
  const [stored] = await t.handle.db.select().from(definitions).where(eq(definitions.name, 'uses-cluster'));
  expect(JSON.stringify(stored.document)).toContain('echo \\"hi $(params.who)\\"');
});

it("refuses what it cannot resolve with the ref's path and the reason, storing nothing", async () => {
  const pipeline = (name: string, taskRef: unknown) => ({
    apiVersion: 'tekton.dev/v1',
    kind: 'Pipeline',
    metadata: { name },
    spec: { tasks: [{ name: 'a', taskRef }] },
  });
  const cases: [unknown, RegExp][] = [
    [gitRef({ url: repo.url, pathInRepo: 'tasks/nope.yaml' }), /no file "tasks\/nope.yaml"/],
    [gitRef({ url: repo.url, revision: 'no-such-branch', pathInRepo: 'tasks/greet.yaml' }), /no-such-branch/],
    [gitRef({ url: repo.url, pathInRepo: '../../etc/passwd' }), /leaves the repository/],
    [gitRef({ url: repo.url, pathInRepo: 'tasks/huge.yaml' }), /is 10485761 bytes; a Task or Pipeline file may have/],
    [gitRef({ url: repo.url, pathInRepo: 'tasks' }), /no file "tasks"/],
    [gitRef({ url: repo.url, pathInRepo: 'pipelines/hello.yaml' }), /should hold one Task, but holds 0/],
    [gitRef({ url: repo.url, pathInRepo: 'tasks/greet.yaml', token: 'x' }), /unsupported param "token"/],
    [{ resolver: 'hub', params: [{ name: 'name', value: 'git-clone' }] }, /"hub" resolver is not supported/],
    [{ resolver: 'cluster', params: [{ name: 'name', value: 'missing' }] }, /no Task named "missing"/],
  ];
  for (const [i, [ref, message]] of cases.entries()) {
    const error = await applyDocuments(t.deps(), me, pipeline(`bad-${i}`, ref), box, undefined, fetchRef).catch(
      (e: unknown) => e,
    );
    expect(error, String(message)).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
    expect((error as AppError).details.issues?.[0]).toMatchObject({
      path: 'documents[0].spec.tasks[0].taskRef',
      message: expect.stringMatching(message),
    });
    expect(
      await t.handle.db
        .select()
        .from(definitions)
        .where(eq(definitions.name, `bad-${i}`)),
    ).toEqual([]);
  }
});
