/**
 * Projects on applications (issue 12): spec.project must exist; its source repos and destinations are checked at
 * create/update (400 naming the rule) and again when a person syncs (the project may have been tightened since);
 * an InvalidSpecError condition (set by the controller from the rendered kinds) refuses a manual sync; sync
 * windows, with an injected clock, hold automated and manual syncs (409 naming the window) unless manualSync.
 */
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { appOperations, applications, clusters } from '../../lib/adapters/db/schema';
import { JqRunner } from '../../lib/adapters/jq';
import { ZAppProject, type TSyncWindow } from '../../lib/domain/gitops/projects';
import { ZListApplicationsQuery, ZSyncRequest } from '../../lib/schemas/applications';
import { createApplication } from '../../lib/server/gitops/applications/create-application';
import { getApplication } from '../../lib/server/gitops/applications/get-application';
import { listApplications } from '../../lib/server/gitops/applications/list-applications';
import { requestSync } from '../../lib/server/gitops/applications/request-sync';
import { updateApplication } from '../../lib/server/gitops/applications/update-application';
import { autoSyncApp } from '../../lib/server/gitops/controller/auto-sync-app';
import type { ControllerRuntime } from '../../lib/server/gitops/controller/runtime';
import type { Principal } from '../../lib/server/principal';
import { appDoc, box, project, seedBasics, failure } from './applications-support';
import { principal, projectRole } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';

let t: TestDatabase;
let me: Principal;
const jq = new JqRunner();
const opts = { allowLocalRepos: false, jq };
const at = (iso: string) => () => new Date(iso);

const inProject = (name: string, projectName: string, over: Parameters<typeof appDoc>[1] = {}) => {
  const doc = appDoc(name, over);
  return { ...doc, spec: { ...doc.spec, project: projectName } };
};
const operations = async (name: string) => {
  const [app] = await t.handle.db.select().from(applications).where(eq(applications.name, name));
  return t.handle.db.select().from(appOperations).where(eq(appOperations.appId, app.id));
};

beforeAll(async () => {
  t = await testDatabase();
  me = await seedBasics(t);
  await t.deps().accessStores.projects.put(
    project('strict', {
      sourceRepos: ['https://github.com/acme/*'],
      destinations: [{ server: 'https://prod.example:6443', namespace: 'web' }],
    }),
    'test',
  );
});

describe('spec.project at create and update', () => {
  it('must name an existing project', async () => {
    const err = await failure(createApplication(t.deps(), me, inProject('ghost', 'nope'), opts));
    expect(err?.status).toBe(400);
    expect(err?.details.issues?.[0].path).toBe('spec.project');
    expect(err?.details.hint).toContain('keelson proj create -f');
  });

  it('a forbidden repo and a forbidden destination are refused with the rule, nothing stored', async () => {
    const repo = await failure(
      createApplication(t.deps(), me, inProject('r', 'strict', { repoURL: 'https://gitlab.com/other/x.git' }), opts),
    );
    expect(repo?.status).toBe(400);
    expect(repo?.details.issues).toEqual([
      {
        path: 'spec.source.repoURL',
        message: expect.stringContaining("(refused by sourceRepos: no entry permits 'https://gitlab.com/other/x.git')"),
      },
    ]);
    const dest = await failure(createApplication(t.deps(), me, inProject('d', 'strict', { namespace: 'other' }), opts));
    expect(dest?.details.issues).toEqual([
      { path: 'spec.destination', message: expect.stringContaining('refused by destinations: no entry permits') },
    ]);
    expect(await t.handle.db.select().from(applications)).toEqual([]);
    const ok = await createApplication(t.deps(), me, inProject('ok', 'strict'), opts);
    expect(ok.application.spec.project).toBe('strict');
  });

  it('moving an app to another project needs update in both projects', async () => {
    await t.deps().accessStores.projects.put(
      project('team-b', {
        roles: [{ name: 'dev', policies: ['p, proj:team-b:dev, applications, *, team-b/*, allow'] }],
      }),
      'test',
    );
    await createApplication(t.deps(), me, inProject('mover', 'team-b'), opts);
    const dev = projectRole('team-b', 'dev');
    const err = await failure(updateApplication(t.deps(), dev, 'mover', inProject('mover', 'default'), false, jq));
    expect(err?.details.denied).toEqual({ resource: 'applications', action: 'update', object: 'default/mover' });
    const moved = await updateApplication(t.deps(), me, 'mover', inProject('mover', 'default'), false, jq);
    expect(moved.spec.project).toBe('default');
  });
});

describe('at sync time the project is checked again', () => {
  it('after the project is tightened, a manual sync is refused naming the rule, and nothing is queued', async () => {
    await createApplication(t.deps(), me, inProject('tight', 'strict'), opts);
    await t.deps().accessStores.projects.put(
      project('strict', {
        sourceRepos: ['https://github.com/acme/only-this.git'],
        destinations: [{ server: 'https://prod.example:6443', namespace: 'web' }],
      }),
      'test',
    );
    const err = await failure(requestSync(t.deps(), me, 'tight', ZSyncRequest.parse({})));
    expect(err?.status).toBe(400);
    expect(err?.details.issues?.[0]).toMatchObject({
      path: 'spec.source.repoURL',
      message: expect.stringContaining("refused by sourceRepos: no entry permits 'https://github.com/acme/deploy.git'"),
    });
    expect(await operations('tight')).toEqual([]);
  });

  it("the controller's InvalidSpecError (a refused kind) refuses a manual sync with its message", async () => {
    await createApplication(t.deps(), me, appDoc('kinds'), opts);
    const message =
      'resource rbac.authorization.k8s.io/ClusterRole admin is not permitted in project default (refused by clusterResourceWhitelist: rbac.authorization.k8s.io/ClusterRole is not listed)';
    await t.handle.db
      .update(applications)
      .set({ conditions: [{ type: 'InvalidSpecError', message, lastTransitionTime: new Date().toISOString() }] })
      .where(eq(applications.name, 'kinds'));
    const err = await failure(requestSync(t.deps(), me, 'kinds', ZSyncRequest.parse({})));
    expect(err?.status).toBe(400);
    expect(err?.message).toContain('refused by clusterResourceWhitelist');
    expect(await operations('kinds')).toEqual([]);
  });
});

describe('sync windows (injected clock)', () => {
  const deny: TSyncWindow = { kind: 'deny', schedule: '0 10 * * *', duration: '2h', applications: ['*'] };
  const windowed = async (name: string, window: TSyncWindow) => {
    await t.deps().accessStores.projects.put(project(name, { syncWindows: [window] }), 'test');
    const doc = inProject(`${name}-app`, name);
    await createApplication(t.deps(), me, { ...doc, spec: { ...doc.spec, syncPolicy: { automated: {} } } }, opts);
    return `${name}-app`;
  };
  const autoSync = async (name: string, now: () => Date) => {
    const d = t.deps(now);
    const app = (await d.gitops.apps.findByName(name))!;
    const rt = { deps: d, apps: d.gitops.apps, operations: d.gitops.operations } as unknown as ControllerRuntime;
    return autoSyncApp(rt, app, { sync: 'OutOfSync', sha: 'a'.repeat(40), paramsHash: 'p' });
  };

  it('a deny window holds auto-sync and manual sync (409 naming it); both go once it has passed', async () => {
    const app = await windowed('frozen', deny);
    const inside = at('2026-12-04T11:00:00Z');
    const held = await autoSync(app, inside);
    expect(held).toMatchObject({ started: false, blocked: expect.stringContaining("deny '0 10 * * *'") });
    const err = await failure(requestSync(t.deps(inside), me, app, ZSyncRequest.parse({})));
    expect(err?.status).toBe(409);
    expect(err?.message).toContain('blocked by sync window deny 0 10 * * * 2h');
    expect(await operations(app)).toEqual([]);
    const detail = await getApplication(t.deps(inside), me, app);
    expect(detail.status.syncWindow).toMatchObject({
      state: 'blocked',
      windows: [{ kind: 'deny', schedule: '0 10 * * *', duration: '2h', manualSync: false }],
    });
    const list = await listApplications(t.deps(inside), me, ZListApplicationsQuery.parse({ search: app }));
    expect(list.items[0].syncWindow?.state).toBe('blocked');

    const after = at('2026-12-04T12:30:00Z');
    expect((await getApplication(t.deps(after), me, app)).status.syncWindow?.state).toBe('allowed');
    const started = await autoSync(app, after);
    expect(started.started).toBe(true);
    const [op] = await operations(app);
    expect(op.operation.initiatedBy).toMatchObject({ automated: true });
  });

  it('manualSync: true lets a person sync during the deny window, still not auto-sync', async () => {
    const app = await windowed('manual', { ...deny, manualSync: true });
    const inside = at('2026-12-04T11:00:00Z');
    expect((await autoSync(app, inside)).started).toBe(false);
    expect((await getApplication(t.deps(inside), me, app)).status.syncWindow?.state).toBe('manual-only');
    const op = await requestSync(t.deps(inside), me, app, ZSyncRequest.parse({}));
    expect(op.operation.initiatedBy).toEqual({ username: 'ops' });
  });

  it('an allow window: outside it syncing is blocked, inside it allowed', async () => {
    const app = await windowed('office', {
      kind: 'allow',
      schedule: '0 9 * * 1-5',
      duration: '8h',
      applications: ['*'],
    });
    const friday = at('2026-12-04T12:00:00Z');
    const saturday = at('2026-12-05T12:00:00Z');
    expect((await getApplication(t.deps(friday), me, app)).status.syncWindow?.state).toBe('allowed');
    const err = await failure(requestSync(t.deps(saturday), me, app, ZSyncRequest.parse({})));
    expect(err?.status).toBe(409);
    expect(err?.message).toContain('allow 0 9 * * 1-5 8h');
    expect((await autoSync(app, saturday)).started).toBe(false);
  });
});

describe("Argo CD's AppProject sample (docs/operator-manual/project.yaml), unchanged", () => {
  it('destinations, roles and sync windows behave as documented', async () => {
    const sample = ZAppProject.parse(
      parse(readFileSync('tests/fixtures/gitops/projects/argocd-project-sample.yaml', 'utf8')),
    );
    await t.deps().accessStores.projects.put(sample, 'test');
    await t.handle.db.insert(clusters).values({
      name: 'in-cluster',
      server: 'https://kubernetes.default.svc',
      sealedCredentials: box.seal(
        JSON.stringify({ type: 'token', server: 'https://kubernetes.default.svc', token: 'x' }),
      ),
      createdBy: 'ops',
    });
    const guestbook = (name: string, cluster: string, namespace: string) =>
      inProject(name, 'my-project', { cluster, namespace, repoURL: 'https://example.org/any/repo.git' });
    // "Only permit applications to deploy to the guestbook namespace in the same cluster".
    await createApplication(t.deps(), me, guestbook('guestbook-dev', 'in-cluster', 'guestbook'), opts);
    const elsewhere = await failure(createApplication(t.deps(), me, guestbook('gb-prod', 'prod', 'web'), opts));
    expect(elsewhere?.details.issues?.[0].path).toBe('spec.destination');

    // read-only (group my-oidc-group) gets the project's apps but cannot sync; ci-role syncs guestbook-dev only.
    const reader = principal('alice', ['my-oidc-group'], 'session');
    expect((await getApplication(t.deps(), reader, 'guestbook-dev')).metadata.name).toBe('guestbook-dev');
    const refused = await failure(requestSync(t.deps(), reader, 'guestbook-dev', ZSyncRequest.parse({})));
    expect(refused?.details.denied).toEqual({
      resource: 'applications',
      action: 'sync',
      object: 'my-project/guestbook-dev',
    });
    // The allow window '0 23 * * *' for 1h on cluster in-cluster: outside it the CI role is blocked (409).
    const ci = projectRole('my-project', 'ci-role');
    const noon = at('2026-12-04T12:00:00Z');
    const blocked = await failure(requestSync(t.deps(noon), ci, 'guestbook-dev', ZSyncRequest.parse({})));
    expect(blocked?.status).toBe(409);
    expect(blocked?.message).toContain('allow 0 23 * * * 1h');
    const late = at('2026-12-04T23:30:00Z');
    const op = await requestSync(t.deps(late), ci, 'guestbook-dev', ZSyncRequest.parse({}));
    expect(op.operation.initiatedBy).toEqual({ username: 'proj:my-project:ci-role' });
  });
});
