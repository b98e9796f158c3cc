import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { count, eq } from 'drizzle-orm';
import { beforeAll } from 'vitest';
import { companions, definitions, pipelineRuns, taskRuns } from '../../lib/adapters/db/schema';
import { defaultProject, type TAppProject } from '../../lib/domain/gitops/projects';
import { applyDocuments, type RunStarter } from '../../lib/server/pipeline/apply-documents';
import { createPipelineRun } from '../../lib/server/pipeline/create-pipeline-run';
import { createTaskRun } from '../../lib/server/pipeline/create-task-run';
import { dispatchRun } from '../../lib/server/pipeline/dispatch-run';
import type { AuthorizedPipelineDeps } from '../../lib/server/pipeline/pipeline-access';
import type { EngineDeps } from '../../lib/server/pipeline/reconcile-pipeline-run';
import type { Principal } from '../../lib/server/principal';
import { secretBox } from '../../lib/server/security/secret-box';
import { principal } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';
import { testJobs } from './support/test-jobs';

/**
 * Two teams' projects on one database: team-a and team-b, each with a `dev` role bound to its SSO group
 * (`team-a-devs`, `team-b-devs`) that may do everything with its own project's pipelines, and team-a's
 * trigger service accounts `deployer` (may create runs) and `watcher` (may only look). No policy.default:
 * a principal sees only what its roles grant. `ops` is role:admin.
 */
export interface ProjectsHarness {
  t: TestDatabase;
  deps: () => AuthorizedPipelineDeps;
  ed: () => EngineDeps & AuthorizedPipelineDeps;
  apply: (who: Principal, input: string) => ReturnType<typeof applyDocuments>;
  counts: () => Promise<{ definitions: number; companions: number; runs: number; taskRuns: number }>;
}

export const alice = principal('alice', ['team-a-devs'], 'session');
export const bob = principal('bob', ['team-b-devs'], 'session');
export const ops = principal('ops', [], 'token');
export const box = secretBox('projects-test-key-'.repeat(3));

const devPolicies = (p: string) => [
  ...['get', 'create', 'update', 'delete'].map((a) => `p, proj:${p}:dev, pipelines, ${a}, ${p}/*, allow`),
  ...['get', 'create', 'cancel', 'delete'].map((a) => `p, proj:${p}:dev, pipelineruns, ${a}, ${p}/*, allow`),
  ...['get', 'create', 'update', 'delete'].map((a) => `p, proj:${p}:dev, triggers, ${a}, ${p}/*, allow`),
  ...['create', 'update', 'delete'].map((a) => `p, proj:${p}:dev, secrets, ${a}, ${p}/*, allow`),
  `p, proj:${p}:dev, logs, get, ${p}/*, allow`,
];

function teamProject(name: string, extraRoles: NonNullable<TAppProject['spec']['roles']> = []): TAppProject {
  const project = defaultProject();
  project.metadata.name = name;
  project.spec.roles = [{ name: 'dev', policies: devPolicies(name), groups: [`${name}-devs`] }, ...extraRoles];
  return project;
}

export function useProjects(): ProjectsHarness {
  const h = {} as ProjectsHarness;
  const { jobs, boss } = testJobs(() => h.t.url);
  beforeAll(async () => {
    h.t = await testDatabase();
    await boss();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'keelson-projects-'));
    h.deps = () => h.t.deps(undefined, jobs);
    h.ed = () => ({
      ...h.deps(),
      box,
      runsDir: path.join(dir, 'runs'),
      volumesDir: path.join(dir, 'volumes'),
    });
    const stores = h.t.deps().accessStores;
    await stores.rbac.put({ 'policy.default': '', 'policy.csv': 'g, ops, role:admin' }, 'test');
    await stores.projects.put(
      teamProject('team-a', [
        { name: 'deployer', policies: ['p, proj:team-a:deployer, pipelineruns, create, team-a/*, allow'] },
        { name: 'watcher', policies: ['p, proj:team-a:watcher, pipelineruns, get, team-a/*, allow'] },
      ]),
      'test',
    );
    await stores.projects.put(teamProject('team-b'), 'test');
  });
  const starter: RunStarter = async (tx, doc, i) => {
    const ed = h.ed();
    const run =
      doc.kind === 'PipelineRun'
        ? {
            kind: 'PipelineRun' as const,
            ...(await createPipelineRun(tx, doc, 'test', ed.now(), `documents[${i}].spec`)),
          }
        : { kind: 'TaskRun' as const, ...(await createTaskRun(ed, tx, doc, `documents[${i}].spec`)) };
    await dispatchRun(tx.jobs, run);
    return run;
  };
  h.apply = (who, input) => applyDocuments(h.ed(), who, input, box, starter);
  h.counts = async () => {
    const db = h.t.handle.db;
    const n = async (table: typeof definitions | typeof companions | typeof pipelineRuns | typeof taskRuns) =>
      (await db.select({ n: count() }).from(table))[0].n;
    return {
      definitions: await n(definitions),
      companions: await n(companions),
      runs: await n(pipelineRuns),
      taskRuns: await n(taskRuns),
    };
  };
  return h;
}

/** A Task and a Pipeline using it, in `project`. */
export const taskAndPipeline = (project: string, task: string, pipeline: string) => `apiVersion: tekton.dev/v1
kind: Task
metadata: { name: ${task}, namespace: ${project} }
spec: { steps: [{ name: s, image: alpine, script: 'echo hi' }] }
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: ${pipeline}, namespace: ${project} }
spec: { tasks: [{ name: t, taskRef: { name: ${task} } }] }
`;

/** The projects of the stored rows named so. */
export async function projectOfRun(t: TestDatabase, name: string): Promise<string | undefined> {
  const [row] = await t.handle.db.select().from(pipelineRuns).where(eq(pipelineRuns.name, name));
  return row?.project;
}
