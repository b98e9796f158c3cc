/**
 * Authorization of the gitops use cases (issue 12): Argo CD's actions on `<project>/<app>`, clusters by server URL,
 * repositories by repo URL; lists filtered before paging; a refused call is 403 naming what was refused and writes
 * nothing. The local `ops` user is role:admin; the `viewers` group role:readonly; no policy.default.
 */
import { count } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { appOperations, applications, auditLog, clusters, repositories } from '../../lib/adapters/db/schema';
import { createRepoMirrors } from '../../lib/adapters/git';
import { JqRunner } from '../../lib/adapters/jq';
import { ZListApplicationsQuery, ZRollbackRequest, ZSyncRequest } from '../../lib/schemas/applications';
import { addRepository } from '../../lib/server/gitops/add-repository';
import { createApplication } from '../../lib/server/gitops/applications/create-application';
import { deleteApplication } from '../../lib/server/gitops/applications/delete-application';
import { getApplication } from '../../lib/server/gitops/applications/get-application';
import { getResourceTree } from '../../lib/server/gitops/applications/get-resource-tree';
import { listApplications } from '../../lib/server/gitops/applications/list-applications';
import { requestSync } from '../../lib/server/gitops/applications/request-sync';
import { rollbackApplication } from '../../lib/server/gitops/applications/rollback-application';
import { terminateOperation } from '../../lib/server/gitops/applications/terminate-operation';
import { unpinApplication } from '../../lib/server/gitops/applications/unpin-application';
import { updateApplication } from '../../lib/server/gitops/applications/update-application';
import { listClusters } from '../../lib/server/gitops/list-clusters';
import { listRepositories } from '../../lib/server/gitops/list-repositories';
import { registerCluster } from '../../lib/server/gitops/register-cluster';
import { removeCluster } from '../../lib/server/gitops/remove-cluster';
import { removeRepository } from '../../lib/server/gitops/remove-repository';
import type { Principal } from '../../lib/server/principal';
import { appDoc, box, insertApps, project, seedBasics, failure } from './applications-support';
import { principal, projectRole, readonly } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';

let t: TestDatabase;
let me: Principal;
const jq = new JqRunner();
const opts = { allowLocalRepos: false, jq };

/** Every row count a refused call must leave as it was. */
async function counts() {
  const n = async (table: typeof applications | typeof appOperations | typeof auditLog | typeof clusters) =>
    (await t.handle.db.select({ n: count() }).from(table))[0].n;
  const [apps, ops, audit, cl] = await Promise.all([n(applications), n(appOperations), n(auditLog), n(clusters)]);
  const repos = (await t.handle.db.select({ n: count() }).from(repositories))[0].n;
  return { apps, ops, audit, clusters: cl, repos };
}

beforeAll(async () => {
  t = await testDatabase();
  me = await seedBasics(t);
  await createApplication(t.deps(), me, appDoc('web'), opts);
  const d = t.deps();
  // No default role: readers are the `viewers` group (policy.default would make every subject, project tokens
  // included, role:readonly, as in Argo CD).
  await d.accessStores.rbac.put(
    { 'policy.default': '', 'policy.csv': 'g, ops, role:admin\ng, viewers, role:readonly' },
    'test',
  );
  await d.accessStores.projects.put(
    project('team-a', {
      roles: [
        {
          name: 'dev',
          policies: [
            'p, proj:team-a:dev, applications, get, team-a/*, allow',
            'p, proj:team-a:dev, applications, sync, team-a/*, allow',
          ],
          groups: ['team-a-devs'],
        },
      ],
    }),
    'test',
  );
});

describe('a refused call is 403 naming {resource, action, object} and writes nothing', () => {
  const denied = async (call: () => Promise<unknown>, resource: string, action: string, object: string) => {
    const before = await counts();
    const err = await failure(call());
    expect(err?.status).toBe(403);
    expect(err?.details.denied).toEqual({ resource, action, object });
    expect(await counts()).toEqual(before);
  };

  it('applications: create, update, delete, sync, rollback, terminate, unpin (role:readonly)', async () => {
    const viewer = readonly();
    await denied(
      () => createApplication(t.deps(), viewer, appDoc('new'), opts),
      'applications',
      'create',
      'default/new',
    );
    await denied(
      () => updateApplication(t.deps(), viewer, 'web', appDoc('web', { path: 'x' }), false, jq),
      'applications',
      'update',
      'default/web',
    );
    await denied(() => deleteApplication(t.deps(), viewer, 'web', false), 'applications', 'delete', 'default/web');
    await denied(() => deleteApplication(t.deps(), viewer, 'web', true), 'applications', 'delete', 'default/web');
    await denied(
      () => requestSync(t.deps(), viewer, 'web', ZSyncRequest.parse({})),
      'applications',
      'sync',
      'default/web',
    );
    await denied(
      () => rollbackApplication(t.deps(), viewer, 'web', ZRollbackRequest.parse({ id: 1 })),
      'applications',
      'sync',
      'default/web',
    );
    await denied(() => terminateOperation(t.deps(), viewer, 'web'), 'applications', 'sync', 'default/web');
    await denied(() => unpinApplication(t.deps(), viewer, 'web'), 'applications', 'sync', 'default/web');
  });

  it("reads: another project's role cannot get the app; a missing app is 403 to it, 404 to a reader", async () => {
    const dev = projectRole('team-a', 'dev');
    await denied(() => getApplication(t.deps(), dev, 'web'), 'applications', 'get', 'default/web');
    await denied(() => getResourceTree(t.deps(), dev, 'web'), 'applications', 'get', 'default/web');
    await denied(() => getApplication(t.deps(), dev, 'nope'), 'applications', 'get', '*/nope');
    expect((await failure(getApplication(t.deps(), readonly(), 'nope')))?.status).toBe(404);
    expect((await getApplication(t.deps(), readonly(), 'web')).metadata.name).toBe('web');
  });

  it('clusters and repositories: create and delete need those actions on the server or repo URL', async () => {
    const viewer = readonly();
    await denied(
      () => registerCluster(t.deps(), box, viewer, { name: 'x', server: 'https://x.example:6443', token: 't' }),
      'clusters',
      'create',
      'https://x.example:6443',
    );
    await denied(() => removeCluster(t.deps(), viewer, 'prod'), 'clusters', 'delete', 'https://prod.example:6443');
    const mirrors = createRepoMirrors({ cacheDir: '/tmp/keelson-h1-mirrors', allowLocal: false });
    await denied(
      () => addRepository(t.deps(), box, mirrors, viewer, { url: 'https://github.com/acme/x.git' }, false),
      'repositories',
      'create',
      'https://github.com/acme/x.git',
    );
    await denied(
      () => removeRepository(t.deps(), viewer, 'https://github.com/acme/x.git'),
      'repositories',
      'delete',
      'https://github.com/acme/x.git',
    );
    // role:readonly gets clusters and repositories; a project role has no such grant.
    expect((await listClusters(t.deps(), viewer)).map((c) => c.name)).toEqual(['dead', 'prod']);
    expect(await listClusters(t.deps(), projectRole('team-a', 'dev'))).toEqual([]);
    expect(await listRepositories(t.deps(), projectRole('team-a', 'dev'))).toEqual([]);
  });
});

describe('lists hold only what the principal may get', () => {
  it('a project-scoped role sees its project only, with total and facets of that set', async () => {
    await insertApps(t, [
      { name: 'a-1', project: 'team-a', healthStatus: 'Healthy', syncStatus: 'Synced' },
      { name: 'a-2', project: 'team-a', healthStatus: 'Degraded', syncStatus: 'OutOfSync' },
      { name: 'a-3', project: 'team-a', healthStatus: 'Healthy', syncStatus: 'OutOfSync' },
      { name: 'b-1', project: 'default', healthStatus: 'Degraded', syncStatus: 'OutOfSync' },
    ]);
    const q = (over: object = {}) => ZListApplicationsQuery.parse({ limit: 2, ...over });
    for (const who of [projectRole('team-a', 'dev'), principal('carol', ['team-a-devs'], 'session')]) {
      const page = await listApplications(t.deps(), who, q());
      expect(page.items.map((i) => i.name)).toEqual(['a-1', 'a-2']);
      expect(page.total).toBe(3);
      expect(page.facets).toEqual({ health: { Healthy: 2, Degraded: 1 }, sync: { Synced: 1, OutOfSync: 2 } });
      const next = await listApplications(t.deps(), who, q({ offset: 2 }));
      expect(next.items.map((i) => i.name)).toEqual(['a-3']);
      const degraded = await listApplications(t.deps(), who, q({ health: 'Degraded' }));
      expect([degraded.total, degraded.items.map((i) => i.name)]).toEqual([1, ['a-2']]);
    }
    const all = await listApplications(t.deps(), me, q({ limit: 100 }));
    expect(all.items.map((i) => i.name)).toEqual(['a-1', 'a-2', 'a-3', 'b-1', 'web']);
    const none = await listApplications(t.deps(), principal('nobody', [], 'project-token'), q());
    expect(none).toMatchObject({ items: [], total: 0, facets: { health: {}, sync: {} } });
  });
});
