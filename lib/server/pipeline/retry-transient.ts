import { isTransientError } from './transient-error';

export interface RetryOptions {
  /** How long to keep trying (e.g. the TaskRun's lease: after it, the write would be refused anyway). */
  forMs: number;
  /** The wait between tries (default 500 ms). */
  everyMs?: number;
  onRetry?: (err: unknown) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Calls `op` again while it fails with an error that passes by itself (the database restarting or briefly away, see
 * transient-error.ts), for up to `forMs`; any other error, or the last transient one, is thrown. A worker keeps the
 * outcome of a TaskRun that ended while Postgres was down instead of dropping it (and waiting for the lease to expire).
 */
export async function retryTransient<T>(op: () => Promise<T>, o: RetryOptions): Promise<T> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + o.forMs;
  for (;;) {
    try {
      return await op();
    } catch (err) {
      if (!isTransientError(err) || now() + (o.everyMs ?? 500) > deadline) throw err;
      o.onRetry?.(err);
      await sleep(o.everyMs ?? 500);
    }
  }
}
