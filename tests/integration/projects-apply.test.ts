import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, definitions, projects } from '../../lib/adapters/db/schema';
import { applyDocuments } from '../../lib/server/pipeline/apply-documents';
import { secretBox } from '../../lib/server/security/secret-box';
import { ARGO_CD_SAMPLE_RBAC_CM } from '../fixtures/access/argocd-rbac-cm';
import { admin, readonly } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';

let t: TestDatabase;
const box = secretBox('test-secret-key-'.repeat(3));
beforeAll(async () => {
  t = await testDatabase();
});

const SAMPLE = readFileSync('tests/fixtures/gitops/projects/argocd-project-sample.yaml', 'utf8');
const teamProject = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: { name: team-a }
spec:
  sourceRepos: ['*']
  destinations: [{ server: '*', namespace: 'team-a' }]
`;
const teamTask = `apiVersion: tekton.dev/v1
kind: Task
metadata: { name: team-a-build, namespace: team-a }
spec:
  steps:
    - name: build
      image: alpine
      script: echo build
`;

describe('keelson apply -f with AppProject and argocd-rbac-cm documents', () => {
  it("routes Argo CD's sample AppProject and argocd-rbac-cm to their use cases, unchanged", async () => {
    const file = [SAMPLE, stringify(ARGO_CD_SAMPLE_RBAC_CM)].join('\n---\n');
    const res = await applyDocuments(t.deps(), admin(), file, box);
    expect(res.applied).toEqual([
      { kind: 'AppProject', name: 'my-project', action: 'created' },
      { kind: 'ConfigMap', name: 'argocd-rbac-cm', action: 'configured' },
    ]);
    expect(res.warnings).toEqual([expect.objectContaining({ path: 'documents[0].spec.sourceNamespaces' })]);
    expect((await t.deps().accessStores.rbac.get())?.data).toEqual(ARGO_CD_SAMPLE_RBAC_CM.data);
    const again = await applyDocuments(t.deps(), admin(), file, box);
    expect(again.applied.map((a) => a.action)).toEqual(['unchanged', 'unchanged']);
  });

  it('a file may create a project and the pipeline resources that belong to it', async () => {
    const res = await applyDocuments(t.deps(), admin(), `${teamProject}---\n${teamTask}`, box);
    expect(res.applied).toEqual([
      { kind: 'AppProject', name: 'team-a', action: 'created' },
      { kind: 'Task', name: 'team-a-build', action: 'created' },
    ]);
    const [row] = await t.handle.db.select().from(definitions).where(eq(definitions.name, 'team-a-build'));
    expect(row.project).toBe('team-a');
  });

  it('bad access documents are refused with documents[i] paths and line numbers; nothing is stored', async () => {
    const badProject = teamProject.replace('team-a }', 'team-b }').replace('sourceRepos', 'sourceRepo');
    const badRbac = stringify({
      ...ARGO_CD_SAMPLE_RBAC_CM,
      data: { 'policy.csv': 'p, role:x, applications, get, */*, allow\np, role:x, nope' },
    });
    const err = await applyDocuments(t.deps(), admin(), `${teamTask}---\n${badProject}---\n${badRbac}`, box).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'BAD_REQUEST' });
    const paths = (err as { details: { issues: { path: string }[] } }).details.issues.map((i) => i.path);
    expect(paths).toEqual(['documents[1].spec', 'documents[2].data["policy.csv"] line 2']);
    expect(await t.handle.db.select().from(projects).where(eq(projects.name, 'team-b'))).toEqual([]);
  });

  it('errors in the pipeline documents keep their index in the file', async () => {
    const err = await applyDocuments(
      t.deps(),
      admin(),
      `${teamProject}---\n${teamTask.replace('image: alpine', 'image: 42').replace('steps:', 'stepz:')}`,
      box,
    ).catch((e: unknown) => e);
    expect(JSON.stringify(err)).toContain('documents[1]');
    expect(JSON.stringify(err)).not.toContain('documents[0]');
  });

  it('a mixed file is one all-or-nothing change: a bad Task stores neither it nor the project; fixed, both apply', async () => {
    const project = teamProject.replaceAll('team-a', 'team-z');
    const task = teamTask.replaceAll('team-a', 'team-z');
    const audit = async () => (await t.handle.db.select().from(auditLog)).length;
    const rowsBefore = await audit();
    const err = await applyDocuments(
      t.deps(),
      admin(),
      `${project}---\n${task.replace('steps:', 'stepz:')}`,
      box,
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BAD_REQUEST' });
    const paths = (err as { details: { issues: { path: string }[] } }).details.issues.map((i) => i.path);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.every((p) => p.startsWith('documents[1]'))).toBe(true);
    expect(await t.handle.db.select().from(projects).where(eq(projects.name, 'team-z'))).toEqual([]);
    expect(await audit()).toBe(rowsBefore);

    // A Task naming a project the file does not create is refused the same way, with the project left unapplied.
    const elsewhere = await applyDocuments(
      t.deps(),
      admin(),
      `${project}---\n${teamTask.replaceAll('team-a', 'team-y')}`,
      box,
    ).catch((e: unknown) => e);
    expect(JSON.stringify(elsewhere)).toContain('documents[1].metadata.namespace');
    expect(await t.handle.db.select().from(projects).where(eq(projects.name, 'team-z'))).toEqual([]);
    expect(await audit()).toBe(rowsBefore);

    const res = await applyDocuments(t.deps(), admin(), `${project}---\n${task}`, box);
    expect(res.applied).toEqual([
      { kind: 'AppProject', name: 'team-z', action: 'created' },
      { kind: 'Task', name: 'team-z-build', action: 'created' },
    ]);
    const [row] = await t.handle.db.select().from(definitions).where(eq(definitions.name, 'team-z-build'));
    expect(row.project).toBe('team-z');
  });

  it("an argocd-rbac-cm that would lock the admin out is refused before the file's project is written", async () => {
    const lockout = stringify({
      ...ARGO_CD_SAMPLE_RBAC_CM,
      data: { 'policy.csv': 'p, role:admin, accounts, update, *, deny' },
    });
    const project = teamProject.replaceAll('team-a', 'team-x');
    await expect(applyDocuments(t.deps(), admin(), `${project}---\n${lockout}`, box)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      details: { issues: [{ path: 'documents[1].data' }] },
    });
    expect(await t.handle.db.select().from(projects).where(eq(projects.name, 'team-x'))).toEqual([]);
  });

  it('is authorized per document before anything is applied: readonly gets 403 and nothing changes', async () => {
    const before = await t.deps().accessStores.rbac.get();
    const file = `${teamProject.replace('team-a }', 'team-c }')}---\n${stringify(ARGO_CD_SAMPLE_RBAC_CM)}`;
    await expect(applyDocuments(t.deps(), readonly(), file, box)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { denied: { resource: 'projects', action: 'create', object: 'team-c' } },
    });
    expect(await t.handle.db.select().from(projects).where(eq(projects.name, 'team-c'))).toEqual([]);
    expect(await t.deps().accessStores.rbac.get()).toEqual(before);
  });
});
