import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, projects } from '../../lib/adapters/db/schema';
import { applyProject } from '../../lib/server/access/apply-project';
import { deleteProject } from '../../lib/server/access/delete-project';
import { getProject } from '../../lib/server/access/get-project';
import { listProjects } from '../../lib/server/access/list-projects';
import { listProjectWindows } from '../../lib/server/access/list-project-windows';
import { admin, principal, readonly } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';

let t: TestDatabase;
beforeAll(async () => {
  t = await testDatabase();
});

const SAMPLE = readFileSync('tests/fixtures/gitops/projects/argocd-project-sample.yaml', 'utf8');
const team = (name: string, spec: Record<string, unknown> = { sourceRepos: ['*'] }) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AppProject',
  metadata: { name },
  spec,
});

describe('AppProjects', () => {
  it("applies Argo CD's sample AppProject unchanged (YAML), noting that sourceNamespaces is ignored", async () => {
    const applied = await applyProject(t.deps(), admin(), SAMPLE, { mode: 'create' });
    expect(applied.action).toBe('created');
    expect(applied.warnings).toEqual([
      expect.objectContaining({ path: 'spec.sourceNamespaces', message: expect.stringContaining('ignored') }),
    ]);
    const got = await getProject(t.deps(), readonly(), 'my-project');
    expect(got.spec).toEqual(parse(SAMPLE).spec);
    expect((await applyProject(t.deps(), admin(), parse(SAMPLE), { mode: 'create' })).action).toBe('unchanged');
    // What get answers (server fields included) applies back unchanged.
    expect((await applyProject(t.deps(), admin(), got, { mode: 'create' })).action).toBe('unchanged');
    const [row] = await t.handle.db.select().from(auditLog).where(eq(auditLog.target, 'projects/my-project'));
    expect(row).toMatchObject({ actor: 'admin', action: 'project.create', result: 'success', via: 'ui' });
  });

  it("the sample's project roles behave as documented: read-only via the OIDC group, ci-role syncs guestbook-dev only", async () => {
    const { access } = t.deps();
    const member = principal('dana', ['my-oidc-group'], 'session');
    expect(await access.can(member, 'applications', 'get', 'my-project/anything')).toBe(true);
    expect(await access.can(member, 'applications', 'sync', 'my-project/anything')).toBe(false);
    const ci = principal('proj:my-project:ci-role', [], 'project-token');
    expect(await access.can(ci, 'applications', 'sync', 'my-project/guestbook-dev')).toBe(true);
    expect(await access.can(ci, 'applications', 'sync', 'my-project/guestbook-prod')).toBe(false);
    expect(await access.can(ci, 'applications', 'sync', 'default/guestbook-dev')).toBe(false);
  });

  it('refuses a bad document with every field path, and stores nothing', async () => {
    const bad = team('broken', {
      sourceRepos: ['*'],
      destinatons: [],
      roles: [{ name: 'ci', policies: ['p, proj:other:ci, applications, sync, other/*, allow'] }],
    });
    const err = await applyProject(t.deps(), admin(), bad, { mode: 'create' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BAD_REQUEST' });
    const paths = (err as { details: { issues: { path: string }[] } }).details.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['spec']));
    expect(await t.handle.db.select().from(projects).where(eq(projects.name, 'broken'))).toEqual([]);
  });

  it('create answers 409 for a different spec without upsert; upsert replaces; PUT needs the same name', async () => {
    await applyProject(t.deps(), admin(), team('team-a'), { mode: 'create' });
    const changed = team('team-a', { sourceRepos: ['https://git.example/team-a/*'], description: 'A' });
    await expect(applyProject(t.deps(), admin(), changed, { mode: 'create' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect((await applyProject(t.deps(), admin(), changed, { mode: 'upsert' })).action).toBe('configured');
    await expect(applyProject(t.deps(), admin(), changed, { mode: 'update', name: 'team-b' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(applyProject(t.deps(), admin(), team('nope'), { mode: 'update', name: 'nope' })).rejects.toMatchObject(
      { code: 'NOT_FOUND' },
    );
    expect((await getProject(t.deps(), admin(), 'team-a')).spec.description).toBe('A');
  });

  it('readonly may list and get but not create, update or delete (403 naming the request); nothing changes', async () => {
    const viewer = readonly();
    await expect(applyProject(t.deps(), viewer, team('team-x'), { mode: 'create' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { denied: { resource: 'projects', action: 'create', object: 'team-x' } },
    });
    await expect(
      applyProject(t.deps(), viewer, team('team-a', { sourceRepos: [] }), { mode: 'upsert' }),
    ).rejects.toMatchObject({ details: { denied: { resource: 'projects', action: 'update', object: 'team-a' } } });
    await expect(deleteProject(t.deps(), viewer, 'team-a')).rejects.toMatchObject({
      details: { denied: { resource: 'projects', action: 'delete', object: 'team-a' } },
    });
    expect(await t.handle.db.select().from(projects).where(eq(projects.name, 'team-x'))).toEqual([]);
    expect((await getProject(t.deps(), admin(), 'team-a')).spec.description).toBe('A');
    const names = (await listProjects(t.deps(), viewer)).map((p) => p.metadata.name);
    expect(names).toEqual(['default', 'my-project', 'team-a']);
  });

  it('a user without projects get sees no project and gets 403 for one, missing or not', async () => {
    await t.deps().accessStores.rbac.put({ 'policy.default': '' }, 'test');
    const nobody = principal('nobody', [], 'session');
    expect(await listProjects(t.deps(), nobody)).toEqual([]);
    await expect(getProject(t.deps(), nobody, 'team-a')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(getProject(t.deps(), nobody, 'missing')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(getProject(t.deps(), admin(), 'missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await t.deps().accessStores.rbac.put({ 'policy.default': 'role:readonly' }, 'test');
  });

  it('the default project cannot be deleted; a project still in use cannot either (409 naming what)', async () => {
    await expect(deleteProject(t.deps(), admin(), 'default')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await t.handle.db.execute(
      `INSERT INTO companions (kind, name, project, data, created_by) VALUES ('ConfigMap', 'team-a-settings', 'team-a', '{"data":{}}', 'admin')`,
    );
    const err = await deleteProject(t.deps(), admin(), 'team-a').catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'CONFLICT' });
    expect((err as Error).message).toContain('ConfigMap/team-a-settings');
    await t.handle.db.execute(`DELETE FROM companions WHERE name = 'team-a-settings'`);
    await deleteProject(t.deps(), admin(), 'team-a');
    await expect(getProject(t.deps(), admin(), 'team-a')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await t.deps().access.project('team-a')).toBeUndefined();
  });

  it("lists a project's sync windows with whether each is active at the injected clock", async () => {
    const at = new Date('2026-03-02T01:30:00Z');
    const { items } = await listProjectWindows(
      t.deps(() => at),
      readonly(),
      'my-project',
    );
    expect(items.map((w) => [w.kind, w.schedule, w.active])).toEqual([
      ['allow', '10 1 * * *', true],
      ['deny', '0 22 * * *', false],
      ['allow', '0 23 * * *', false],
    ]);
    const late = await listProjectWindows(
      t.deps(() => new Date('2026-03-02T22:15:00Z')),
      readonly(),
      'my-project',
    );
    expect(late.items.map((w) => w.active)).toEqual([false, true, false]);
  });
});
