import { eq } from 'drizzle-orm';
import type { LoginAttemptStore } from '@/lib/server/auth/ports';
import type { DbOrTx } from './client';
import { rateLimits } from './schema';

/** The login counters; `lock` holds its row lock until the transaction `db` belongs to ends. */
export function createLoginAttemptStore(db: DbOrTx): LoginAttemptStore {
  return {
    async lock(key, start) {
      await db.insert(rateLimits).values({ key, windowStart: start, count: 0 }).onConflictDoNothing();
      const [row] = await db.select().from(rateLimits).where(eq(rateLimits.key, key)).for('update');
      return row;
    },
    async save(key, window) {
      await db.update(rateLimits).set(window).where(eq(rateLimits.key, key));
    },
  };
}
