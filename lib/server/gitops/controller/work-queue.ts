/**
 * A bounded pool working on keys (app names): a key is never worked on twice at once, a key added
 * while it runs runs once more afterwards, and a key added many times while waiting runs once.
 */
export interface WorkQueue<K> {
  add(key: K): void;
  /** Adds a key unless it waits or runs already (a periodic scan's finding: the run in progress covers it). */
  offer(key: K): void;
  /** Keys waiting or running. */
  size(): number;
  /** Resolves when nothing waits or runs (tests, benchmarks, shutdown). */
  idle(): Promise<void>;
  /** Stops taking new work; resolves when running handlers finish. */
  stop(): Promise<void>;
}

export function createWorkQueue<K>(
  concurrency: number,
  handler: (key: K) => Promise<void>,
  onError: (key: K, err: unknown) => void,
): WorkQueue<K> {
  const waiting: K[] = [];
  const queued = new Set<K>();
  const running = new Set<K>();
  const again = new Set<K>();
  let stopped = false;
  let idleWaiters: (() => void)[] = [];

  const settle = () => {
    if (waiting.length === 0 && running.size === 0) {
      const ws = idleWaiters;
      idleWaiters = [];
      for (const w of ws) w();
    }
  };

  const pump = () => {
    while (!stopped && running.size < concurrency && waiting.length > 0) {
      const index = waiting.findIndex((k) => !running.has(k));
      if (index < 0) return;
      const [key] = waiting.splice(index, 1);
      queued.delete(key);
      running.add(key);
      void handler(key)
        .catch((err: unknown) => onError(key, err))
        .finally(() => {
          running.delete(key);
          if (again.delete(key)) add(key);
          pump();
          settle();
        });
    }
  };

  const add = (key: K) => {
    if (stopped) return;
    if (running.has(key)) {
      again.add(key);
      return;
    }
    if (queued.has(key)) return;
    queued.add(key);
    waiting.push(key);
    pump();
  };

  return {
    add,
    offer(key) {
      if (!running.has(key)) add(key);
    },
    size: () => waiting.length + running.size,
    idle: () =>
      waiting.length === 0 && running.size === 0 ? Promise.resolve() : new Promise((r) => idleWaiters.push(r)),
    async stop() {
      stopped = true;
      waiting.length = 0;
      queued.clear();
      if (running.size > 0) await new Promise<void>((r) => idleWaiters.push(r));
    },
  };
}
