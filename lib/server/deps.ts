import type { Db } from '@/lib/adapters/db/client';

/** What services need from the outside world, passed in so tests can hand over their own database and clock. */
export interface Deps {
  db: Db;
  now: () => Date;
}
