import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * jq (the real one, compiled to WebAssembly by the `jq-web` package) on a worker thread.
 *
 * A jq program is user input (Argo CD's `ignoreDifferences[].jqPathExpressions`) and can loop
 * forever (`repeat(.)`), so it never runs on the event loop: each call has a time limit, after which
 * the worker is terminated (a fresh one starts on the next call) and the call fails.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
require(workerData.jqPath).then((jq) => {
  parentPort.on('message', ({ id, value, program }) => {
    try {
      parentPort.postMessage({ id, ok: true, value: jq.json(value, program) });
    } catch (e) {
      parentPort.postMessage({ id, ok: false, error: String((e && e.message) || e) });
    }
  });
  parentPort.postMessage({ id: 0, ok: true });
});
`;

export class JqError extends Error {
  override name = 'JqError';
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** One worker thread and the calls waiting for its answers. */
interface Thread {
  worker: Worker;
  ready: Promise<void>;
  pending: Map<number, Pending>;
}

/** Runs jq programs one at a time on one worker thread; one per process, built by its composition root. */
export class JqRunner {
  private thread: Thread | undefined;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly timeoutMs = 1000) {}

  /** `program` applied to `value`; rejects with a JqError for a bad program, an error, or the time limit. */
  run(value: unknown, program: string): Promise<unknown> {
    const call = this.queue.then(() => this.runNow(value, program));
    this.queue = call.catch(() => undefined);
    return call;
  }

  /** Stops the worker (tests, shutdown). */
  async close(): Promise<void> {
    const thread = this.thread;
    this.thread = undefined;
    await thread?.worker.terminate();
  }

  private start(): Thread {
    if (this.thread) return this.thread;
    const jqPath = createRequire(import.meta.url).resolve('jq-web');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { jqPath } });
    worker.unref();
    const pending = new Map<number, Pending>();
    const ready = new Promise<void>((resolve, reject) => pending.set(0, { resolve: () => resolve(), reject }));
    const thread: Thread = { worker, ready, pending };
    this.thread = thread;
    worker.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.ok) p?.resolve(m.value);
      else p?.reject(new JqError(cleanMessage(m.error ?? 'jq failed')));
    });
    const fail = (error: Error) => {
      for (const p of pending.values()) p.reject(error);
      pending.clear();
      if (this.thread === thread) this.thread = undefined;
    };
    worker.on('error', (err) => fail(new JqError(`jq could not run: ${err.message}`)));
    worker.on('exit', () => fail(new JqError('jq stopped')));
    return thread;
  }

  private async runNow(value: unknown, program: string): Promise<unknown> {
    const thread = this.start();
    await thread.ready;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        thread.pending.delete(id);
        reject(new JqError(`jq program "${program}" did not finish within ${this.timeoutMs} ms`));
        if (this.thread === thread) void this.close();
      }, this.timeoutMs);
      thread.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      thread.worker.postMessage({ id, value, program });
    });
  }
}

/** jq-web's message: "Non-zero exit code: 3\njq: error: syntax error, …\n…": keep jq's own lines. */
function cleanMessage(message: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('Non-zero exit code'));
  return lines.join('; ') || message;
}
