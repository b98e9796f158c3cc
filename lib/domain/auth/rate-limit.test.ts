import { describe, expect, it } from 'vitest';
import { decideRateLimit } from './rate-limit';

const t0 = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('decideRateLimit', () => {
  it('opens a window on the first attempt', () => {
    const d = decideRateLimit(undefined, t0, 3, 60_000);
    expect(d).toEqual({ allowed: true, next: { windowStart: t0, count: 1 }, retryAfterSeconds: 60 });
  });

  it('refuses the attempt after the limit within one window', () => {
    let state = decideRateLimit(undefined, t0, 3, 60_000).next;
    state = decideRateLimit(state, at(1000), 3, 60_000).next;
    state = decideRateLimit(state, at(2000), 3, 60_000).next;
    const fourth = decideRateLimit(state, at(30_000), 3, 60_000);
    expect(fourth.allowed).toBe(false);
    expect(fourth.next.count).toBe(4);
    expect(fourth.retryAfterSeconds).toBe(30);
  });

  it('starts over once the window has passed', () => {
    const full = { windowStart: t0, count: 50 };
    const d = decideRateLimit(full, at(60_000), 3, 60_000);
    expect(d.allowed).toBe(true);
    expect(d.next).toEqual({ windowStart: at(60_000), count: 1 });
  });
});
