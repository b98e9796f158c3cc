import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../../lib/adapters/db/embedded-postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

/**
 * One real PostgreSQL per test run, on a free loopback port (tests probe it over TCP); each test file makes its own
 * database in it. `npm start`'s listens on a Unix socket only.
 */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'keelson-it-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir: dir, database: 'postgres', loopbackTcp: true });
  project.provide('postgresAdminUrl', pg.url);
  return async () => {
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
