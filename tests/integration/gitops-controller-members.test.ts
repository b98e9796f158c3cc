import { eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { createApplicationStore } from '../../lib/adapters/db/application-store';
import { createControllerMemberStore } from '../../lib/adapters/db/controller-member-store';
import { appRefreshLeases, applications, controllerMembers } from '../../lib/adapters/db/schema';
import { insertApps } from './applications-support';
import { testDatabase, type TestDatabase } from './support/test-database';

/**
 * The controllers' membership and refresh leases (lib/adapters/db/controller-member-store.ts) on a real database,
 * and the due scan read in pages: what sharding relies on when two controllers disagree for a moment.
 */
let t: TestDatabase;
const a = { id: 'controller-a', host: 'h1', pid: 1 };
const b = { id: 'controller-b', host: 'h2', pid: 2 };
const store = () => createControllerMemberStore(t.handle.db);
/** Ends a member's lease as its death would (no renewal, row kept). */
const expire = (id: string) =>
  t.handle.db
    .update(controllerMembers)
    .set({ leaseUntil: sql`now() - interval '1 second'` })
    .where(eq(controllerMembers.id, id));

beforeAll(async () => {
  t = await testDatabase();
  await insertApps(
    t,
    ['web', 'api', 'db', 'cache', 'queue'].map((name) => ({ name, refreshRequested: 'normal' })),
  );
});

it('lists the live members by id; one whose lease ran out drops out, one that leaves is deleted', async () => {
  expect(await store().heartbeat(b, 15)).toEqual(['controller-b']);
  expect(await store().heartbeat(a, 15)).toEqual(['controller-a', 'controller-b']);
  await expire('controller-b');
  expect(await store().heartbeat(a, 15)).toEqual(['controller-a']);
  expect(await store().heartbeat(b, 15)).toEqual(['controller-a', 'controller-b']);
  await store().leave('controller-b');
  expect((await t.handle.db.select().from(controllerMembers)).map((m) => m.id)).toEqual(['controller-a']);
  expect(await store().heartbeat(b, 15)).toEqual(['controller-a', 'controller-b']);
});

it('gives an app refresh lease to one live member at a time; a dead holder loses it; a dead member gets none', async () => {
  expect(await store().claimRefresh('web', a.id)).toBe(true);
  expect(await store().claimRefresh('web', b.id)).toBe(false);
  expect(await store().claimRefresh('web', a.id)).toBe(true);
  await store().releaseRefresh('web', b.id); // not b's: nothing happens
  expect(await store().claimRefresh('web', b.id)).toBe(false);
  await store().releaseRefresh('web', a.id);
  const [row] = await t.handle.db.select().from(appRefreshLeases).where(eq(appRefreshLeases.appName, 'web'));
  expect(row).toMatchObject({ owner: a.id, held: false });
  expect(await store().claimRefresh('web', b.id)).toBe(true);

  await expire(b.id);
  expect(await store().claimRefresh('web', a.id)).toBe(true);
  expect(await store().claimRefresh('api', b.id)).toBe(false);
  expect(await store().claimRefresh('no-such-app', a.id)).toBe(false);
  await store().heartbeat(b, 15);
});

it('a deleted app takes its refresh lease with it', async () => {
  expect(await store().claimRefresh('queue', a.id)).toBe(true);
  await t.handle.db.delete(applications).where(eq(applications.name, 'queue'));
  expect(await t.handle.db.select().from(appRefreshLeases).where(eq(appRefreshLeases.appName, 'queue'))).toEqual([]);
});

it('reads the due apps in pages by name, each after the last name of the one before', async () => {
  const apps = createApplicationStore(t.handle.db);
  const now = new Date();
  expect(await apps.dueForRefresh(now, 2)).toEqual(['api', 'cache']);
  expect(await apps.dueForRefresh(now, 2, 'cache')).toEqual(['db', 'web']);
  expect(await apps.dueForRefresh(now, 2, 'web')).toEqual([]);
});
