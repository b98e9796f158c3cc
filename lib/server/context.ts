import { connectDb, type DbHandle } from '@/lib/adapters/db/client';
import { startBoss, type Boss } from '@/lib/adapters/queue/boss';
import { pgBossPipelineJobs } from '@/lib/adapters/queue/pipeline-jobs';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import type { Deps } from './deps';
import type { RunControlDeps } from './pipeline/ports';
import { processKeyring } from './security/process-keyring';
import type { SecretBox } from './security/secret-box';

/**
 * Per-process wiring for the web server: one pool and one queue client, kept on globalThis because Next
 * may load this module more than once (one copy per route bundle).
 */
interface WebContext {
  handle?: DbHandle;
  boss?: Promise<Boss>;
}
const store = globalThis as typeof globalThis & { __keelson?: WebContext };
const ctx: WebContext = (store.__keelson ??= {});

function databaseUrl(): string {
  const url = env().DATABASE_URL;
  if (!url)
    throw new AppError('UNAVAILABLE', 'DATABASE_URL is not set. Start Keelson with `npm start`, which provides it.');
  return url;
}

export function deps(): Deps {
  ctx.handle ??= connectDb(databaseUrl());
  return { db: ctx.handle.db, now: () => new Date() };
}

export function dbPool() {
  deps();
  return ctx.handle!.pool;
}

/** Seals secrets at rest with the newest sealing key; opens values sealed with any key the keyring holds. */
export function secrets(): SecretBox {
  const ring = processKeyring();
  if (ring.sealingKeys().length === 0)
    throw new AppError(
      'UNAVAILABLE',
      'No sealing key is configured. Start Keelson with `npm start`, which creates one, or set KEELSON_SEALING_KEYS.',
    );
  return ring.box;
}

export function queue(): Promise<Boss> {
  ctx.boss ??= startBoss(databaseUrl()).catch((err: unknown) => {
    ctx.boss = undefined;
    throw err;
  });
  return ctx.boss;
}

/** Deps of the use cases that start or change pipeline runs: their jobs are queued in their transaction. */
export function runControlDeps(): RunControlDeps {
  return { ...deps(), jobs: pgBossPipelineJobs(queue) };
}
