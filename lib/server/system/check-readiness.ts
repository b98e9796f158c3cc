import type pg from 'pg';
import { QUEUES, type Boss } from '@/lib/adapters/queue/boss';
import type { ChildState, SupervisorState } from '@/lib/domain/system/supervisor-state';

/** Anyone may ask (load balancers, probes), so the answer is fixed words; the error itself goes to the log. */
export type CheckResult = 'ok' | 'unavailable' | 'timed out';

export interface Readiness {
  ready: boolean;
  /** workers and postgres: what `npm start`'s supervisor says of them, when it runs them. */
  checks: { database: CheckResult; queue: CheckResult; workers?: ChildState; postgres?: ChildState };
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

/**
 * Ready means the database answers and the job queue's tables can be read: without them this web server can serve
 * nothing, so a load balancer should send its requests elsewhere (503). A restarting workers process is reported but
 * leaves the web server ready (200): it still serves the UI and the API, and the jobs it queues wait in Postgres until
 * the workers are back (another web replica would not run them sooner). A restarting embedded Postgres is not ready.
 */
export async function checkReadiness(
  pool: pg.Pool,
  boss: () => Promise<Boss>,
  log: (line: string) => void = console.error,
  supervisor: () => Promise<SupervisorState | undefined> = async () => undefined,
): Promise<Readiness> {
  const [database, queue, state] = await Promise.all([
    check('database', () => pool.query('SELECT 1'), 2000, log),
    check('queue', () => boss().then((b) => b.getQueueSize(QUEUES.housekeeping)), 3000, log),
    supervisor(),
  ]);
  const { workers, postgres } = state?.children ?? {};
  const children = {
    ...(workers ? { workers: workers.state } : {}),
    ...(postgres ? { postgres: postgres.state } : {}),
  };
  return {
    ready: database === 'ok' && queue === 'ok' && postgres?.state !== 'restarting',
    checks: { database, queue, ...children },
  };
}
