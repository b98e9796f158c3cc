import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { appOperations, applications } from '../../lib/adapters/db/schema';
import { ZListApplicationsQuery, type TListApplicationsQuery } from '../../lib/schemas/applications';
import { listApplications } from '../../lib/server/gitops/applications/list-applications';
import { insertApps, seedBasics } from './applications-support';
import { admin } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';

let t: TestDatabase;
const list = (q: Partial<TListApplicationsQuery> = {}) =>
  listApplications(t.deps(), admin(), ZListApplicationsQuery.parse(q));

beforeAll(async () => {
  t = await testDatabase();
  await seedBasics(t);
  const health = ['Healthy', 'Degraded', 'Progressing'] as const;
  await insertApps(
    t,
    Array.from({ length: 30 }, (_, i) => ({
      name: `svc-${String(i).padStart(2, '0')}`,
      healthStatus: health[i % 3],
      syncStatus: i % 2 === 0 ? 'Synced' : 'OutOfSync',
      clusterName: i < 20 ? 'prod' : 'dead',
      destNamespace: i % 5 === 0 ? 'ops' : 'web',
      conditions:
        i === 1 ? [{ type: 'ComparisonError', message: 'boom', lastTransitionTime: '2026-01-01T00:00:00Z' }] : [],
    })),
  );
  await insertApps(t, [{ name: 'under_score' }, { name: 'percent-100' }]);
});

it('pages by name with the total, and never sends heavy columns', async () => {
  const first = await list({ limit: 10 });
  expect(first.total).toBe(32);
  expect(first.items.map((a) => a.name)).toEqual(['percent-100', ...Array.from({ length: 9 }, (_, i) => `svc-0${i}`)]);
  const second = await list({ limit: 10, offset: 10 });
  expect(second.items[0].name).toBe('svc-09');
  expect(second).toMatchObject({ limit: 10, offset: 10, total: 32 });
  expect(Object.keys(first.items[0])).not.toEqual(expect.arrayContaining(['spec']));
  expect(JSON.stringify(first)).not.toMatch(/"(diffs|tree|resources|spec)"/);
  expect(first.items.find((a) => a.name === 'svc-01')).toMatchObject({
    conditions: 1,
    health: 'Degraded',
    sync: 'OutOfSync',
    cluster: 'prod',
    repoURL: 'https://github.com/acme/deploy',
    automated: false,
  });
});

it('filters by health, sync, cluster and namespace; facets count the search only', async () => {
  const degraded = await list({ health: 'Degraded', limit: 100 });
  expect(degraded.total).toBe(10);
  expect(degraded.items.every((a) => a.health === 'Degraded')).toBe(true);
  const combo = await list({ health: 'Healthy', sync: 'Synced', cluster: 'prod', limit: 100 });
  expect(combo.items.map((a) => a.name)).toEqual(['svc-00', 'svc-06', 'svc-12', 'svc-18']);
  expect((await list({ namespace: 'ops', cluster: 'dead' })).items.map((a) => a.name)).toEqual(['svc-20', 'svc-25']);
  // Facets ignore the health/sync filters so chips can show what each would give.
  expect(degraded.facets.health).toEqual({ Healthy: 10, Degraded: 10, Progressing: 10, Unknown: 2 });
  expect(degraded.facets.sync).toEqual({ Synced: 15, OutOfSync: 15, Unknown: 2 });
  const searched = await list({ search: 'SVC-0' });
  expect(searched.total).toBe(10);
  expect(searched.facets.health).toEqual({ Healthy: 4, Degraded: 3, Progressing: 3 });
});

it('treats % and _ in a search literally', async () => {
  expect((await list({ search: '_' })).items.map((a) => a.name)).toEqual(['under_score']);
  expect((await list({ search: '%' })).items).toEqual([]);
});

it("shows each app's newest operation phase, Terminating once asked", async () => {
  const [app] = await t.handle.db.select().from(applications).where(eq(applications.name, 'svc-03'));
  const operation = {
    sync: { revision: 'main', prune: false, dryRun: false, syncOptions: [] },
    initiatedBy: { username: 'ops' },
  };
  await t.handle.db.insert(appOperations).values({
    appId: app.id,
    operation,
    phase: 'Failed',
    startedAt: new Date('2026-01-01'),
    finishedAt: new Date('2026-01-01'),
  });
  await t.handle.db.insert(appOperations).values({
    appId: app.id,
    operation,
    phase: 'Running',
    terminateRequested: true,
    startedAt: new Date('2026-01-02'),
  });
  const page = await list({ search: 'svc-0' });
  expect(page.items.find((a) => a.name === 'svc-03')?.operationPhase).toBe('Terminating');
  expect(page.items.find((a) => a.name === 'svc-04')?.operationPhase).toBeUndefined();
});
