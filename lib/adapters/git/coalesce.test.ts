import { describe, expect, it } from 'vitest';
import { createCoalescer } from './coalesce';

function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('createCoalescer', () => {
  it('shares one run among calls made in the same tick', async () => {
    let runs = 0;
    const run = createCoalescer(async () => ++runs);
    const results = await Promise.all(Array.from({ length: 10 }, () => run()));
    expect(runs).toBe(1);
    expect(new Set(results)).toEqual(new Set([1]));
  });

  it('gives a caller arriving mid-run a fresh run, shared with other late callers', async () => {
    let runs = 0;
    const gate = deferred();
    const run = createCoalescer(async () => {
      runs += 1;
      if (runs === 1) await gate.promise;
      return runs;
    });
    const first = run();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    const late = [run(), run(), run()];
    gate.resolve();
    expect(await first).toBe(1);
    expect(await Promise.all(late)).toEqual([2, 2, 2]);
    expect(runs).toBe(2);
  });

  it('lets a failed run reject its callers without blocking the next run', async () => {
    let runs = 0;
    const run = createCoalescer(async () => {
      runs += 1;
      if (runs === 1) throw new Error('boom');
      return runs;
    });
    await expect(run()).rejects.toThrow('boom');
    expect(await run()).toBe(2);
  });
});
