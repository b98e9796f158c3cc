import type pg from 'pg';
import { QUEUES, type Boss } from '@/lib/adapters/queue/boss';

export interface Readiness {
  ready: boolean;
  checks: { database: string; queue: string };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms))]);
}

/** Ready means the database answers and the job queue's tables can be read. */
export async function checkReadiness(pool: pg.Pool, boss: () => Promise<Boss>): Promise<Readiness> {
  const database = await withTimeout(pool.query('SELECT 1'), 2000).then(
    () => 'ok',
    (e: Error) => `error: ${e.message}`,
  );
  const queue = await withTimeout(
    boss().then((b) => b.getQueueSize(QUEUES.housekeeping)),
    3000,
  ).then(
    () => 'ok',
    (e: Error) => `error: ${e.message}`,
  );
  return { ready: database === 'ok' && queue === 'ok', checks: { database, queue } };
}
