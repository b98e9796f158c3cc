import type pg from 'pg';
import { QUEUES, type Boss } from '@/lib/adapters/queue/boss';

/** Anyone may ask (load balancers, probes), so the answer is fixed words; the error itself goes to the log. */
export type CheckResult = 'ok' | 'unavailable' | 'timed out';

export interface Readiness {
  ready: boolean;
  checks: { database: CheckResult; queue: CheckResult };
}

class Timeout extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function check(
  name: string,
  probe: () => Promise<unknown>,
  ms: number,
  log: (line: string) => void,
): Promise<CheckResult> {
  try {
    await withTimeout(probe(), ms);
    return 'ok';
  } catch (err) {
    log(`[readyz] ${name} not ready: ${err instanceof Error ? err.message : String(err)}`);
    return err instanceof Timeout ? 'timed out' : 'unavailable';
  }
}

/** Ready means the database answers and the job queue's tables can be read. */
export async function checkReadiness(
  pool: pg.Pool,
  boss: () => Promise<Boss>,
  log: (line: string) => void = console.error,
): Promise<Readiness> {
  const database = await check('database', () => pool.query('SELECT 1'), 2000, log);
  const queue = await check('queue', () => boss().then((b) => b.getQueueSize(QUEUES.housekeeping)), 3000, log);
  return { ready: database === 'ok' && queue === 'ok', checks: { database, queue } };
}
