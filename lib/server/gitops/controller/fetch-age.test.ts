import { describe, expect, it } from 'vitest';
import { fetchAgeMs } from './reconcile-app';

describe('fetchAgeMs: how old a fetch a refresh accepts', () => {
  const now = new Date('2026-12-05T07:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);

  it('a refresh asked just now fetches (a push made before it must be seen)', () => {
    expect(fetchAgeMs('normal', now, now)).toBe(0);
    expect(fetchAgeMs('hard', ago(500), now)).toBe(0);
  });

  it('a refresh asked earlier accepts a fetch that started after the request (and the clock margin)', () => {
    expect(fetchAgeMs('normal', ago(5_000), now)).toBe(4_000);
    expect(fetchAgeMs('hard', ago(61_000), now)).toBe(60_000);
  });

  it('a request time in the future (a periodic next refresh) still fetches', () => {
    expect(fetchAgeMs('normal', new Date(now.getTime() + 180_000), now)).toBe(0);
  });

  it('periodic and live refreshes keep their own ages', () => {
    expect(fetchAgeMs('poll', ago(5_000), now)).toBe(15_000);
    expect(fetchAgeMs('live', ago(5_000), now)).toBe(Number.POSITIVE_INFINITY);
  });
});
