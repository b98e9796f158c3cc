import { describe, expect, it } from 'vitest';
import { retryTransient } from './retry-transient';

/** A clock that moves only when the retry sleeps. */
function fakeTime() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('retryTransient', () => {
  it('tries again while the database is away, and returns what the first success gives', async () => {
    let calls = 0;
    const retried: unknown[] = [];
    const value = await retryTransient(
      async () => {
        calls++;
        if (calls < 4) throw refused();
        return 'stored';
      },
      { forMs: 30_000, onRetry: (e) => retried.push(e), ...fakeTime() },
    );
    expect(value).toBe('stored');
    expect(calls).toBe(4);
    expect(retried).toHaveLength(3);
  });

  it('gives up with the last error once the time is over', async () => {
    let calls = 0;
    const op = async () => {
      calls++;
      throw refused();
    };
    await expect(retryTransient(op, { forMs: 2000, everyMs: 500, ...fakeTime() })).rejects.toThrow('ECONNREFUSED');
    expect(calls).toBe(5);
  });

  it('throws any other error at once', async () => {
    let calls = 0;
    const op = async () => {
      calls++;
      throw new RangeError('stored plan does not parse');
    };
    await expect(retryTransient(op, { forMs: 30_000, ...fakeTime() })).rejects.toThrow(RangeError);
    expect(calls).toBe(1);
  });
});
