import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { connectDb, type DbHandle } from '../../../lib/adapters/db/client';
import { runMigrations } from '../../../lib/adapters/db/migrate';
import type { Deps } from '../../../lib/server/deps';

export interface TestDatabase {
  url: string;
  handle: DbHandle;
  deps: (now?: () => Date) => Deps;
}

/** A fresh, migrated database for one test file, dropped when the file is done. */
export async function testDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  await runMigrations(url);
  const handle = connectDb(url, { max: 5 });
  afterAll(async () => {
    await handle.close();
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await cleanup.end();
  });
  return { url, handle, deps: (now = () => new Date()) => ({ db: handle.db, now }) };
}
