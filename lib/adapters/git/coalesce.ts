/**
 * Runs `task` so that concurrent callers share runs. Every caller gets a run that *starts
 * after* the call was made (so a fetch sees anything pushed before the caller asked), yet
 * callers that arrive before that run starts all share it: at most one run in flight plus
 * one queued. A run starts on a later macrotask, so calls made in the same tick share one.
 */
export function createCoalescer<T>(task: () => Promise<T>): () => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  let queued: Promise<T> | null = null;
  return () => {
    if (queued) return queued;
    const run = tail
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => {
        queued = null;
        return task();
      });
    queued = run;
    tail = run.catch(() => undefined);
    return run;
  };
}

/** One coalescer per key (e.g. per repository). */
export function createKeyedCoalescer<T>(): (key: string, task: () => Promise<T>) => Promise<T> {
  const byKey = new Map<string, { run: () => Promise<T>; task: () => Promise<T> }>();
  return (key, task) => {
    let entry = byKey.get(key);
    if (!entry) {
      const created: { run: () => Promise<T>; task: () => Promise<T> } = {
        task,
        run: createCoalescer(() => created.task()),
      };
      entry = created;
      byKey.set(key, entry);
    }
    entry.task = task;
    return entry.run();
  };
}
