import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connectDb, type DbHandle } from '../lib/adapters/db/client';
import { startEmbeddedPostgres } from '../lib/adapters/db/embedded-postgres';
import { runMigrations } from '../lib/adapters/db/migrate';

/** A throwaway embedded Postgres, migrated, for a benchmark run. */
export async function benchDatabase(): Promise<{ url: string; handle: DbHandle; dir: string; stop(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'keelson-bench-'));
  const pg = await startEmbeddedPostgres({
    dataDir: dir,
    log: process.env.KEELSON_BENCH_PG_LOG ? (l) => console.error('[pg]', l) : undefined,
  });
  await runMigrations(pg.url);
  const handle = connectDb(pg.url, { max: 20 });
  return {
    url: pg.url,
    handle,
    dir,
    async stop() {
      await handle.close();
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
