/**
 * A Git webhook is not a user: whatever it sends, it can only ask refreshes (issue 12). A push never queues an
 * operation, never creates or changes an application, cluster or repository, and writes no audit row; the
 * controller's auto-sync after that refresh syncs only apps with an automated policy.
 */
import { count } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { appOperations, applications, auditLog, clusters, repositories } from '../../lib/adapters/db/schema';
import { ZApplicationSpec } from '../../lib/schemas/applications';
import { autoSyncApp } from '../../lib/server/gitops/controller/auto-sync-app';
import type { ControllerRuntime } from '../../lib/server/gitops/controller/runtime';
import { handleGitPush } from '../../lib/server/webhooks/handle-git-push';
import { appDoc, box, insertApps, seedBasics } from './applications-support';
import { testDatabase, type TestDatabase } from './support/test-database';

let t: TestDatabase;

beforeAll(async () => {
  t = await testDatabase();
  await seedBasics(t);
  await insertApps(t, [
    {
      name: 'manual',
      normalizedRepoUrl: 'https://github.com/acme/deploy',
      spec: ZApplicationSpec.parse(appDoc('m').spec),
    },
    {
      name: 'automated',
      normalizedRepoUrl: 'https://github.com/acme/deploy',
      spec: ZApplicationSpec.parse({ ...appDoc('automated').spec, syncPolicy: { automated: {} } }),
      automated: true,
    },
  ]);
  await t.handle.db.update(applications).set({ refreshRequested: null });
});

/** Everything but the refresh request (and the due time it moves up), which is all a push may change. */
async function snapshot() {
  const n = async (table: typeof appOperations | typeof auditLog | typeof clusters | typeof repositories) =>
    (await t.handle.db.select({ n: count() }).from(table))[0].n;
  const apps = (await t.handle.db.select().from(applications))
    .map(({ refreshRequested: _r, nextReconcileAt: _n, updatedAt: _u, ...rest }) => rest)
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    apps,
    ops: await n(appOperations),
    audit: await n(auditLog),
    clusters: await n(clusters),
    repos: await n(repositories),
  };
}

it('a push only asks refreshes: no operation, no change to apps, clusters or repositories, no audit row', async () => {
  const before = await snapshot();
  const body = JSON.stringify({
    ref: 'refs/heads/main',
    after: 'c'.repeat(40),
    repository: { clone_url: 'https://github.com/acme/deploy.git', default_branch: 'main' },
  });
  const res = await handleGitPush(t.deps(), box, { 'x-github-event': 'push' }, body);
  expect(res).toEqual({ status: 200, result: { provider: 'github', refreshed: 2 } });
  const refreshed = await t.handle.db
    .select({ name: applications.name, r: applications.refreshRequested })
    .from(applications);
  expect(refreshed.every((a) => a.r === 'normal')).toBe(true);
  expect(await snapshot()).toEqual(before);

  // After that refresh the controller's auto-sync starts only where the policy is automated.
  const d = t.deps();
  const rt = { deps: d, apps: d.gitops.apps, operations: d.gitops.operations } as unknown as ControllerRuntime;
  const outOfSync = { sync: 'OutOfSync' as const, sha: 'c'.repeat(40), paramsHash: 'p' };
  expect((await autoSyncApp(rt, (await d.gitops.apps.findByName('manual'))!, outOfSync)).started).toBe(false);
  expect((await autoSyncApp(rt, (await d.gitops.apps.findByName('automated'))!, outOfSync)).started).toBe(true);
  const ops = await t.handle.db.select().from(appOperations);
  expect(ops.map((o) => o.operation.initiatedBy)).toEqual([{ automated: true, username: 'auto-sync' }]);
});
