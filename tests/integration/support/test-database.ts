import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { connectDb, type DbHandle } from '../../../lib/adapters/db/client';
import { runMigrations } from '../../../lib/adapters/db/migrate';
import { createGitopsStores } from '../../../lib/adapters/db/gitops-stores';
import { createPipelineStores, type TransactionJobs } from '../../../lib/adapters/db/pipeline-stores';
import { createServiceStores, type ServiceStores } from '../../../lib/adapters/db/service-stores';
import type { Deps } from '../../../lib/server/deps';
import type { GitopsDeps } from '../../../lib/server/gitops/ports';
import type { PipelineDeps } from '../../../lib/server/pipeline/ports';
import { createExecutorSettingStore } from '../../../lib/adapters/db/executor-setting-store';
import { executorPolicyFrom } from '../../../lib/server/pipeline/executor-override';

export interface TestDatabase {
  url: string;
  handle: DbHandle;
  /** The database and clock, with the pipeline stores on it (`jobs`: the queue their transactions send to). */
  deps: (now?: () => Date, jobs?: TransactionJobs) => Deps & PipelineDeps & GitopsDeps & ServiceStores;
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
  return {
    url,
    handle,
    deps: (now = () => new Date(), jobs) => ({
      db: handle.db,
      now,
      stores: createPipelineStores(handle.db, now, jobs),
      executorPolicy: executorPolicyFrom(createExecutorSettingStore(handle.db, now), undefined),
      gitops: createGitopsStores(handle.db, now),
      ...createServiceStores(handle.db, now),
    }),
  };
}
