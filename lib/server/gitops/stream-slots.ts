import type { StreamSlots } from './pod-ports';

/**
 * Counts open streams per key and in all: `perKey` each, `total` for the process (so that many principals
 * together cannot hold every socket either). Releasing twice frees one slot only. `full()` tells a refusal for the
 * process-wide cap from one for the key's.
 */
export function createStreamSlots(perKey: number, total: number): StreamSlots {
  const open = new Map<string, number>();
  let all = 0;
  return {
    perKey,
    total,
    full: () => all >= total,
    take(key) {
      const n = open.get(key) ?? 0;
      if (n >= perKey || all >= total) return undefined;
      open.set(key, n + 1);
      all++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        all--;
        const left = (open.get(key) ?? 1) - 1;
        if (left > 0) open.set(key, left);
        else open.delete(key);
      };
    },
  };
}
