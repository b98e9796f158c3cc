import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { applications } from '../../lib/adapters/db/schema';
import type { OperationStore } from '../../lib/server/gitops/ports';
import { insertApps, seedBasics } from './applications-support';
import { testDatabase, type TestDatabase } from './support/test-database';

/**
 * A sync operation's lease runs on the database's clock, as the controllers' membership does: a controller whose host
 * clock runs ahead cannot take an operation another one still holds, so hooks are never applied twice.
 */
let t: TestDatabase;
let ops: OperationStore;
const HOUR_AHEAD = () => new Date(Date.now() + 3_600_000);

async function openOperation(name: string): Promise<{ id: string; appId: string }> {
  await insertApps(t, [{ name }]);
  const [app] = await t.handle.db.select().from(applications).where(eq(applications.name, name));
  const sync = { revision: 'main', prune: false, dryRun: false, syncOptions: [] };
  const op = await ops.insert(app.id, { sync, initiatedBy: { username: 'ops' } } as never, new Date());
  return { id: op.id, appId: app.id };
}

beforeAll(async () => {
  t = await testDatabase();
  await seedBasics(t);
  ops = t.deps().gitops.operations;
});

it('a controller whose clock runs an hour ahead cannot claim an operation whose lease is valid by the database clock', async () => {
  const { id, appId } = await openOperation('skewed');
  expect(await ops.claimOpen(appId, 'controller-a', new Date(), 15_000)).toMatchObject({
    id,
    leaseOwner: 'controller-a',
  });
  // B's host clock is an hour ahead: by it A's lease ran out long ago; by the database it has 15 s left.
  expect(await ops.claimOpen(appId, 'controller-b', HOUR_AHEAD(), 15_000)).toBeUndefined();
  expect(await ops.appsWithDueOperations(HOUR_AHEAD())).not.toContain('skewed');
  // A renews; B still cannot take it; the holder can.
  expect(await ops.renewLease(id, 'controller-a', 15_000)).toEqual({ terminate: false });
  expect(await ops.claimOpen(appId, 'controller-b', HOUR_AHEAD(), 15_000)).toBeUndefined();
  expect(await ops.claimOpen(appId, 'controller-a', new Date(), 15_000)).toMatchObject({ leaseOwner: 'controller-a' });
});

it('a lease that ran out by the database clock is taken over, whatever the claimer’s clock says', async () => {
  const { id, appId } = await openOperation('expired');
  expect(await ops.claimOpen(appId, 'controller-a', new Date(), 200)).toBeDefined();
  const behind = new Date(Date.now() - 3_600_000);
  expect(await ops.claimOpen(appId, 'controller-b', behind, 15_000)).toBeUndefined();
  await new Promise((resolve) => setTimeout(resolve, 400));
  // B's clock is an hour behind, yet the database says A's lease is over.
  expect(await ops.appsWithDueOperations(behind)).toContain('expired');
  expect(await ops.claimOpen(appId, 'controller-b', behind, 15_000)).toMatchObject({ leaseOwner: 'controller-b' });
  expect(await ops.renewLease(id, 'controller-a', 15_000)).toBeUndefined();
});
