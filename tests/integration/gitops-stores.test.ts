import { eq } from 'drizzle-orm';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditLog } from '../../lib/adapters/db/schema';
import type { GitopsStores } from '../../lib/server/gitops/ports';
import { CONTROLLER_CHANNEL } from '../../lib/server/gitops/notify-controller';
import { insertApps, seedBasics } from './applications-support';
import { testDatabase, type TestDatabase } from './support/test-database';

/**
 * The Drizzle unit of work of the gitops stores (lib/adapters/db/gitops-stores.ts): one transaction hands out
 * the stores, the audit log and the controller's NOTIFY bound to it; the operation's finish and the history
 * keep their guards.
 */
let t: TestDatabase;
let listener: pg.PoolClient;
const notified: string[] = [];
const stores = (): GitopsStores => t.deps().gitops;

beforeAll(async () => {
  t = await testDatabase();
  await seedBasics(t);
  await insertApps(t, [{ name: 'uow-commit' }, { name: 'uow-rollback' }, { name: 'ops' }, { name: 'history' }]);
  listener = await t.handle.pool.connect();
  listener.on('notification', (m) => void (m.payload && notified.push(m.payload)));
  await listener.query(`LISTEN ${CONTROLLER_CHANNEL}`);
});

afterAll(() => listener.release());

const auditRows = (target: string) => t.handle.db.select().from(auditLog).where(eq(auditLog.target, target));
const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

it('commits the writes, the audit row and the controller wake-up of one transaction together', async () => {
  await stores().transaction(async (tx) => {
    const app = await tx.apps.lockByName('uow-commit');
    await tx.apps.setDeletion(app!.id, { cascade: true, requestedBy: 'ci', requestedAt: 'now' }, new Date());
    await tx.audit.record({ actor: 'ci', action: 'test.commit', target: 'application/uow-commit', result: 'success' });
    await tx.notify('uow-commit');
  });
  await settle();
  expect((await stores().apps.findByName('uow-commit'))?.deletion).toMatchObject({ requestedBy: 'ci' });
  expect(await auditRows('application/uow-commit')).toMatchObject([{ action: 'test.commit' }]);
  expect(notified).toContain('uow-commit');
});

it('rolls back the writes, the audit row and the wake-up when the work throws', async () => {
  await expect(
    stores().transaction(async (tx) => {
      expect(await tx.apps.deleteByName('uow-rollback')).toBe(true);
      await tx.audit.record({
        actor: 'ci',
        action: 'test.rollback',
        target: 'application/uow-rollback',
        result: 'success',
      });
      await tx.notify('uow-rollback');
      throw new Error('refused');
    }),
  ).rejects.toThrow('refused');
  await settle();
  expect(await stores().apps.findByName('uow-rollback')).toBeDefined();
  expect(await auditRows('application/uow-rollback')).toEqual([]);
  expect(notified).not.toContain('uow-rollback');
});

it('finishes an operation once: the compare-and-set on the phase predecessors refuses a second end', async () => {
  const app = await stores().apps.findByName('ops');
  const sync = { revision: 'main', prune: false, dryRun: false, syncOptions: [] };
  const op = await stores().operations.insert(app!.id, { sync, initiatedBy: { username: 'ci' } }, new Date());
  expect(await stores().operations.findOpen(app!.id)).toEqual({ id: op.id, phase: 'Running' });
  expect(await stores().operations.finish(op.id, 'Succeeded', 'done', new Date())).toBe(true);
  expect(await stores().operations.finish(op.id, 'Failed', 'late', new Date())).toBe(false);
  expect(await stores().operations.latest(app!.id, op.id)).toMatchObject({ phase: 'Succeeded', message: 'done' });
  expect(await stores().operations.findOpen(app!.id)).toBeUndefined();
});

async function historyEntries(name: string) {
  const app = await stores().apps.findByName(name);
  return {
    app: app!,
    entry: (revision: string) => ({
      appId: app!.id,
      revision,
      source: app!.spec.source,
      deployedAt: new Date(),
      initiatedBy: { username: 'ci' },
    }),
  };
}

it('appends history with the next id and keeps only the newest entries', async () => {
  const { app, entry } = await historyEntries('history');
  for (const revision of ['a', 'b', 'c']) await stores().transaction((tx) => tx.history.append(entry(revision), 2));
  const kept = await stores().history.ofApp(app.id);
  expect(kept.map((h) => [h.id, h.revision])).toEqual([
    [2, 'c'],
    [1, 'b'],
  ]);
});

it('appends history from concurrent writers without a transaction: each entry gets its own id', async () => {
  await insertApps(t, [{ name: 'history-concurrent' }]);
  const { app, entry } = await historyEntries('history-concurrent');
  await Promise.all(['a', 'b', 'c', 'd'].map((revision) => stores().history.append(entry(revision), 10)));
  const kept = await stores().history.ofApp(app.id);
  expect(kept.map((h) => h.id)).toEqual([3, 2, 1, 0]);
  expect(kept.map((h) => h.revision).sort()).toEqual(['a', 'b', 'c', 'd']);
});

it('a compare clears the refresh request it answered, and keeps one asked again meanwhile, with its time', async () => {
  await insertApps(t, [{ name: 'refresh-race' }]);
  const apps = stores().apps;
  const asked = new Date(Date.now() - 5_000);
  await apps.requestRefreshOf(['refresh-race'], asked);
  const loaded = (await apps.findByName('refresh-race'))!; // what a compare starts from
  expect(loaded).toMatchObject({ refreshRequested: 'normal', nextReconcileAt: asked });
  const later = new Date(Date.now() + 180_000);
  const answer = { clearIf: { level: 'normal', askedAt: loaded.nextReconcileAt } };

  // A webhook asks again (the same level) while the compare runs: its request and its time survive the save.
  const again = new Date(Date.now() - 1_000);
  await apps.requestRefreshOf(['refresh-race'], again);
  await apps.saveStatus(loaded.id, { syncStatus: 'Synced', refreshRequested: answer, nextReconcileAt: later });
  expect(await apps.findByName('refresh-race')).toMatchObject({
    syncStatus: 'Synced',
    refreshRequested: 'normal',
    nextReconcileAt: again,
  });

  // The next compare answers that one: cleared, next refresh after the resync interval.
  const second = { clearIf: { level: 'normal', askedAt: again } };
  await apps.saveStatus(loaded.id, { refreshRequested: second, nextReconcileAt: later });
  expect(await apps.findByName('refresh-race')).toMatchObject({ refreshRequested: null, nextReconcileAt: later });
});

it('a refresh asked after a wave is dated now: its refresh accepts fetches made since, not only a new one', async () => {
  await insertApps(t, [{ name: 'wave-refresh' }]);
  const apps = stores().apps;
  const app = (await apps.findByName('wave-refresh'))!;
  const later = new Date(Date.now() + 180_000);
  await apps.saveStatus(app.id, { nextReconcileAt: later });
  const before = Date.now();
  await apps.requestRefresh(app.id);
  const asked = (await apps.findByName('wave-refresh'))!;
  expect(asked.refreshRequested).toBe('normal');
  expect(asked.nextReconcileAt.getTime()).toBeLessThan(later.getTime());
  expect(Math.abs(asked.nextReconcileAt.getTime() - before)).toBeLessThan(5_000);
});

it("an operation's end asks a refresh dated at its start, and leaves one asked during the sync as it was", async () => {
  await insertApps(t, [{ name: 'op-end-refresh' }]);
  const apps = stores().apps;
  const app = (await apps.findByName('op-end-refresh'))!;
  const later = new Date(Date.now() + 180_000);
  const syncAsked = new Date(Date.now() - 60_000);
  const end = { refreshRequested: { ask: 'normal' as const, askedAt: syncAsked } };

  // Nothing pending: the refresh is asked, dated when the sync was.
  await apps.saveStatus(app.id, { nextReconcileAt: later, refreshRequested: null });
  await apps.saveStatus(app.id, end);
  expect(await apps.findByName('op-end-refresh')).toMatchObject({
    refreshRequested: 'normal',
    nextReconcileAt: syncAsked,
  });

  // A push during the sync (a webhook's request, dated then) keeps its time; a hard refresh stays hard.
  const pushed = new Date(Date.now() - 10_000);
  await apps.saveStatus(app.id, { nextReconcileAt: later, refreshRequested: null });
  await apps.requestRefreshOf(['op-end-refresh'], pushed);
  await apps.saveStatus(app.id, end);
  expect(await apps.findByName('op-end-refresh')).toMatchObject({
    refreshRequested: 'normal',
    nextReconcileAt: pushed,
  });
  await apps.requestRefreshByName('op-end-refresh', true, pushed);
  await apps.saveStatus(app.id, end);
  expect(await apps.findByName('op-end-refresh')).toMatchObject({ refreshRequested: 'hard', nextReconcileAt: pushed });
});
