import { eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { appOperations, applications, auditLog, clusters, gitWebhookSecrets } from '../../lib/adapters/db/schema';
import { ZSyncRequest } from '../../lib/schemas/applications';
import { deleteApplication } from '../../lib/server/gitops/applications/delete-application';
import { requestRefresh } from '../../lib/server/gitops/applications/request-refresh';
import { requestSync } from '../../lib/server/gitops/applications/request-sync';
import { unpinApplication } from '../../lib/server/gitops/applications/unpin-application';
import { removeCluster } from '../../lib/server/gitops/remove-cluster';
import type { Principal } from '../../lib/server/principal';
import { setWebhookSecret } from '../../lib/server/webhooks/set-webhook-secret';
import { box, failure, insertApps, seedBasics } from './applications-support';
import { testDatabase, type TestDatabase } from './support/test-database';

let t: TestDatabase;
let me: Principal;

beforeAll(async () => {
  t = await testDatabase();
  me = await seedBasics(t);
  await insertApps(t, [
    { name: 'kept', pinned: { revision: 'a'.repeat(40), historyId: 0, reason: 'r', by: 'ops', at: '' } },
  ]);
  // From here on every audit insert fails: a change whose audit row cannot be written must not happen.
  await t.handle.db.execute(sql`
    create function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit refused'; end $$;
    create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit();
  `);
});

it('writes nothing when the audit row of a gitops change cannot be written (same transaction)', async () => {
  const [app] = await t.handle.db.select().from(applications).where(eq(applications.name, 'kept'));
  expect(await failure(requestSync(t.deps(), me, 'kept', ZSyncRequest.parse({})))).toBeDefined();
  expect(await t.handle.db.select().from(appOperations).where(eq(appOperations.appId, app.id))).toEqual([]);

  expect(await failure(requestRefresh(t.deps(), me, 'kept', true))).toBeDefined();
  const [unrefreshed] = await t.handle.db.select().from(applications).where(eq(applications.name, 'kept'));
  expect(unrefreshed.refreshRequested).toBe(app.refreshRequested);

  expect(await failure(unpinApplication(t.deps(), me, 'kept'))).toBeDefined();
  expect(await failure(deleteApplication(t.deps(), me, 'kept', false))).toBeDefined();
  expect(await failure(deleteApplication(t.deps(), me, 'kept', true))).toBeDefined();
  const [after] = await t.handle.db.select().from(applications).where(eq(applications.name, 'kept'));
  expect(after).toMatchObject({ pinned: app.pinned, deletion: null });

  expect(await failure(removeCluster(t.deps(), me, 'dead'))).toBeDefined();
  expect(await t.handle.db.select().from(clusters).where(eq(clusters.name, 'dead'))).toHaveLength(1);

  expect(await failure(setWebhookSecret(t.deps(), box, me, 'github', 'secret'))).toBeDefined();
  expect(await t.handle.db.select().from(gitWebhookSecrets)).toEqual([]);
  expect(await t.handle.db.select().from(auditLog)).toEqual([]);
});
