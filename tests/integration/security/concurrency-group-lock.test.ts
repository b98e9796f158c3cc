import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPipelineRunStore } from '../../../lib/adapters/db/pipeline-run-store';
import { testDatabase, type TestDatabase } from '../support/test-database';

/**
 * Security review F8: a concurrency group's lock was one 32-bit hash of `concurrency:<group>`, so a user of another
 * project could pick a key (a param value) whose hash collides with project A's group and hold or wait on A's lock.
 * The lock is now two keys, the project's hash and the group's: a collision of the group's hash alone shares nothing.
 */
let t: TestDatabase;
beforeAll(async () => {
  t = await testDatabase();
});

/** Whether `group`'s lock can be taken within 300 ms while another transaction holds `held`'s. */
async function lockableWhileHeld(held: string, group: string): Promise<boolean> {
  let release!: () => void;
  const holding = new Promise<void>((r) => (release = r));
  let taken!: () => void;
  const isTaken = new Promise<void>((r) => (taken = r));
  const holder = t.handle.db.transaction(async (tx) => {
    await createPipelineRunStore(tx).lockGroup(held);
    taken();
    await holding;
  });
  await isTaken;
  try {
    await t.handle.db.transaction(async (tx) => {
      await tx.execute(sql`set local lock_timeout = '300ms'`);
      await createPipelineRunStore(tx).lockGroup(group);
    });
    return true;
  } catch (err) {
    // 55P03 lock_not_available: the lock is held by the other transaction.
    const e = err as { code?: string; cause?: { code?: string } };
    if ((e.code ?? e.cause?.code) !== '55P03') throw err;
    return false;
  } finally {
    release();
    await holder;
  }
}

describe('concurrency group locks (F8)', () => {
  it("two projects' groups whose 32-bit lock hashes collide do not share a lock; one group still excludes itself", async () => {
    // Group ids of team-a and team-b (key k189172 and k120373, as an attacker would search for one) whose old lock
    // key, hashtext('concurrency:' || group), is the same.
    const pair = { a: 'team-a/build/k189172', b: 'team-b/build/k120373' };
    const old = await t.handle.db.execute<{ same: boolean }>(
      sql`select hashtext(${`concurrency:${pair.a}`}) = hashtext(${`concurrency:${pair.b}`}) as same`,
    );
    expect(old.rows[0].same).toBe(true);
    expect(await lockableWhileHeld(pair.a, pair.b)).toBe(true);
    expect(await lockableWhileHeld(pair.a, pair.a)).toBe(false);
  });
});
