import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { appHistory, appOperations, applications } from '../../lib/adapters/db/schema';
import type { TResourceStatus } from '../../lib/schemas/applications';
import { createApplication } from '../../lib/server/gitops/applications/create-application';
import { getAppDiff } from '../../lib/server/gitops/applications/get-app-diff';
import { getApplication } from '../../lib/server/gitops/applications/get-application';
import { getOperation } from '../../lib/server/gitops/applications/get-operation';
import { getResourceDetail } from '../../lib/server/gitops/applications/get-resource-detail';
import { getResourceTree } from '../../lib/server/gitops/applications/get-resource-tree';
import { listHistory } from '../../lib/server/gitops/applications/list-history';
import { requestSync } from '../../lib/server/gitops/applications/request-sync';
import { rollbackApplication } from '../../lib/server/gitops/applications/rollback-application';
import { terminateOperation } from '../../lib/server/gitops/applications/terminate-operation';
import { unpinApplication } from '../../lib/server/gitops/applications/unpin-application';
import { ZRollbackRequest, ZSyncRequest } from '../../lib/schemas/applications';
import type { Principal } from '../../lib/server/principal';
import { appDoc, box, failure, seedBasics } from './applications-support';
import { testDatabase, type TestDatabase } from './support/test-database';
import { JqRunner } from '../../lib/adapters/jq';

let t: TestDatabase;
let me: Principal;
const SHA1 = 'a'.repeat(40);
const SHA2 = 'b'.repeat(40);
const resources: TResourceStatus[] = [
  {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    namespace: 'web',
    name: 'web',
    status: 'OutOfSync',
    health: { status: 'Progressing' },
  },
  {
    group: '',
    version: 'v1',
    kind: 'Service',
    namespace: 'web',
    name: 'web',
    status: 'Synced',
    health: { status: 'Healthy' },
  },
];
const sync = (name: string, body: unknown = {}) => requestSync(t.deps(), me, name, ZSyncRequest.parse(body));
const finishOpen = (name: string) =>
  t.handle.db.transaction(async (tx) => {
    const [app] = await tx.select().from(applications).where(eq(applications.name, name));
    await tx
      .update(appOperations)
      .set({ phase: 'Succeeded', finishedAt: new Date() })
      .where(eq(appOperations.appId, app.id));
  });

/** An app as the controller leaves it after two syncs: resources, diffs, tree and two history entries. */
async function reconciledApp(name: string) {
  await createApplication(t.deps(), me, appDoc(name, { cluster: 'dead' }), {
    allowLocalRepos: false,
    jq: new JqRunner(),
  });
  const [app] = await t.handle.db
    .update(applications)
    .set({
      resources,
      syncStatus: 'OutOfSync',
      revision: SHA2,
      diffs: {
        'apps/Deployment/web/web': {
          diff: '-replicas: 1\n+replicas: 2\n',
          live: 'replicas: 1\n',
          desired: 'replicas: 2\n',
        },
      },
      tree: [
        {
          key: 'apps/Deployment/web/web',
          group: 'apps',
          version: 'v1',
          kind: 'Deployment',
          namespace: 'web',
          name: 'web',
          parents: [],
          sync: 'OutOfSync',
        },
        {
          key: '/Pod/web/web-1',
          uid: 'u-1',
          group: '',
          version: 'v1',
          kind: 'Pod',
          namespace: 'web',
          name: 'web-1',
          parents: ['apps/Deployment/web/web'],
          health: { status: 'Healthy' },
        },
      ],
    })
    .where(eq(applications.name, name))
    .returning();
  const source = app.spec.source;
  await t.handle.db.insert(appHistory).values([
    {
      appId: app.id,
      id: 0,
      revision: SHA1,
      source,
      deployedAt: new Date('2026-01-01'),
      initiatedBy: { username: 'ops' },
    },
    {
      appId: app.id,
      id: 1,
      revision: SHA2,
      source,
      deployedAt: new Date('2026-01-02'),
      initiatedBy: { automated: true },
    },
  ]);
}

beforeAll(async () => {
  t = await testDatabase();
  me = await seedBasics(t);
  await reconciledApp('shop');
});

it('queues a sync with the target revision and the caller, and refuses a second one with 409 and a hint', async () => {
  const op = await sync('shop', { prune: true, syncOptions: ['ApplyOutOfSyncOnly=true'] });
  expect(op).toMatchObject({
    phase: 'Running',
    operation: {
      sync: { revision: 'main', prune: true, dryRun: false, syncOptions: ['ApplyOutOfSyncOnly=true'] },
      initiatedBy: { username: 'ops' },
    },
  });
  const conflict = await failure(sync('shop'));
  expect(conflict?.status).toBe(409);
  expect(conflict?.details.hint).toContain('terminate-op');
  expect((await getApplication(t.deps(), me, 'shop')).status.operationState?.id).toBe(op.id);
  await finishOpen('shop');
});

it('serializes concurrent sync requests: exactly one is queued', async () => {
  const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => sync('shop')));
  expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  const [app] = await t.handle.db.select().from(applications).where(eq(applications.name, 'shop'));
  const open = (await t.handle.db.select().from(appOperations).where(eq(appOperations.appId, app.id))).filter(
    (o) => !o.finishedAt,
  );
  expect(open).toHaveLength(1);
  await finishOpen('shop');
});

it('checks a selective sync against the app resources', async () => {
  const bad = await failure(
    sync('shop', {
      resources: [
        { group: 'apps', kind: 'Deployment', name: 'web' },
        { kind: 'ConfigMap', name: 'nope' },
      ],
    }),
  );
  expect(bad?.status).toBe(400);
  expect(bad?.details.issues).toEqual([{ path: 'resources[1]', message: 'ConfigMap/nope is not a resource of shop' }]);
  expect(bad?.details.hint).toContain('apps/Deployment/web/web');
  const ok = await sync('shop', { resources: [{ group: 'apps', kind: 'Deployment', name: 'web' }], revision: 'v2' });
  expect(ok.operation.sync).toMatchObject({
    revision: 'v2',
    resources: [{ group: 'apps', kind: 'Deployment', name: 'web' }],
  });
  await finishOpen('shop');
});

it('finds an operation by id even after a newer one started', async () => {
  const first = await sync('shop');
  await finishOpen('shop');
  const second = await sync('shop');
  expect(await getOperation(t.deps(), me, 'shop', first.id)).toMatchObject({
    id: first.id,
    phase: 'Succeeded',
    finishedAt: expect.any(String),
  });
  expect((await getOperation(t.deps(), me, 'shop')).id).toBe(second.id);
  expect((await failure(getOperation(t.deps(), me, 'shop', 'not-a-uuid')))?.status).toBe(400);
  expect((await failure(getOperation(t.deps(), me, 'shop', '00000000-0000-0000-0000-000000000000')))?.status).toBe(404);
  await finishOpen('shop');
});

it('terminates the open operation; none open is a 409', async () => {
  await sync('shop');
  const op = await terminateOperation(t.deps(), me, 'shop');
  expect(op.phase).toBe('Terminating');
  await finishOpen('shop');
  expect((await failure(terminateOperation(t.deps(), me, 'shop')))?.status).toBe(409);
  expect((await failure(terminateOperation(t.deps(), me, 'nope')))?.status).toBe(404);
});

it('rolls back: pins the SHA of the history entry and queues it; unknown ids list the valid ones', async () => {
  const unknown = await failure(rollbackApplication(t.deps(), me, 'shop', ZRollbackRequest.parse({ id: 7 })));
  expect(unknown?.status).toBe(400);
  expect(unknown?.details.issues?.[0]).toEqual({ path: 'id', message: 'use one of 1, 0' });
  const op = await rollbackApplication(t.deps(), me, 'shop', ZRollbackRequest.parse({ id: 0, reason: 'bad release' }));
  expect(op.operation).toMatchObject({ sync: { revision: SHA1 }, rollbackTo: 0, initiatedBy: { username: 'ops' } });
  const app = await getApplication(t.deps(), me, 'shop');
  expect(app.status.pinned).toMatchObject({ revision: SHA1, historyId: 0, reason: 'bad release', by: 'ops' });
  expect((await failure(rollbackApplication(t.deps(), me, 'shop', ZRollbackRequest.parse({ id: 1 }))))?.status).toBe(
    409,
  );
  await finishOpen('shop');
  // While pinned, a plain sync keeps the pinned revision.
  expect((await sync('shop')).operation.sync.revision).toBe(SHA1);
  await finishOpen('shop');
  const unpinned = await unpinApplication(t.deps(), me, 'shop');
  expect(unpinned.status.pinned).toBeUndefined();
  expect(unpinned.status.refreshRequested).toBe('normal');
  expect((await sync('shop')).operation.sync.revision).toBe('main');
  await finishOpen('shop');
});

it('a dry-run rollback pins nothing', async () => {
  const op = await rollbackApplication(t.deps(), me, 'shop', ZRollbackRequest.parse({ id: 1, dryRun: true }));
  expect(op.operation.sync).toMatchObject({ revision: SHA2, dryRun: true });
  expect((await getApplication(t.deps(), me, 'shop')).status.pinned).toBeUndefined();
  await finishOpen('shop');
});

it('lists history newest first, the tree, the diff, and a resource detail without events when the cluster is down', async () => {
  expect((await listHistory(t.deps(), me, 'shop')).items.map((h) => [h.id, h.revision])).toEqual([
    [1, SHA2],
    [0, SHA1],
  ]);
  expect((await getResourceTree(t.deps(), me, 'shop')).nodes.map((n) => n.kind)).toEqual(['Deployment', 'Pod']);
  const diff = await getAppDiff(t.deps(), me, 'shop');
  expect(diff.hasDiff).toBe(true);
  expect(diff.items.map((i) => [i.kind, i.status, i.diff !== ''])).toEqual([
    ['Deployment', 'OutOfSync', true],
    ['Service', 'Synced', false],
  ]);
  const detail = await getResourceDetail(t.deps(), box, me, 'shop', {
    group: 'apps',
    kind: 'Deployment',
    namespace: 'web',
    name: 'web',
  });
  expect(detail).toMatchObject({
    key: 'apps/Deployment/web/web',
    status: 'OutOfSync',
    liveManifest: 'replicas: 1\n',
    desiredManifest: 'replicas: 2\n',
    events: [],
  });
  const pod = await getResourceDetail(t.deps(), box, me, 'shop', {
    group: '',
    kind: 'Pod',
    namespace: 'web',
    name: 'web-1',
  });
  expect(pod).toMatchObject({ health: { status: 'Healthy' }, diff: '', events: [] });
  expect(
    (
      await failure(
        getResourceDetail(t.deps(), box, me, 'shop', { group: '', kind: 'Secret', namespace: 'web', name: 'x' }),
      )
    )?.status,
  ).toBe(404);
});
