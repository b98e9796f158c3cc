import { describe, expect, it } from 'vitest';
import {
  decideRestart,
  DEFAULT_RESTART_POLICY,
  formatDelay,
  NO_RESTARTS,
  type RestartDecision,
  type RestartHistory,
} from './restart-policy';

/** Exits of a child that each time ran `upMs` and was restarted after the decided wait; the decisions in order. */
function crashLoop(upMs: number[], start = 0): RestartDecision[] {
  let history: RestartHistory = NO_RESTARTS;
  let startedAt = start;
  const decisions: RestartDecision[] = [];
  for (const up of upMs) {
    const d = decideRestart(history, { startedAt, exitedAt: startedAt + up });
    decisions.push(d);
    history = d.history;
    startedAt = startedAt + up + (d.kind === 'restart' ? d.delayMs : 0);
  }
  return decisions;
}

const delays = (ds: RestartDecision[]) => ds.map((d) => (d.kind === 'restart' ? d.delayMs : d.kind));

describe('restart policy', () => {
  it('waits 1 s, then doubles the wait up to 30 s', () => {
    // Each run lasts 20 s: never 5 exits within a minute, never up long enough to reset.
    expect(delays(crashLoop(Array(8).fill(20_000)))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts over at 1 s after a child was up 60 s', () => {
    expect(delays(crashLoop([20_000, 20_000, 20_000, 60_000, 20_000]))).toEqual([1000, 2000, 4000, 1000, 2000]);
    expect(delays(crashLoop([20_000, 20_000, 59_999]))).toEqual([1000, 2000, 4000]);
  });

  it('gives up at the 5th exit within 60 s, not before', () => {
    const fast = crashLoop([10, 10, 10, 10, 10]);
    expect(delays(fast)).toEqual([1000, 2000, 4000, 8000, 'give-up']);
    expect(fast[4]).toMatchObject({ kind: 'give-up', exits: 5, windowMs: 60_000 });
  });

  it('forgets exits older than the window', () => {
    // 4 quick exits, then a long quiet run, then 4 more: never 5 within a minute.
    const ds = crashLoop([10, 10, 10, 10, 120_000, 10, 10, 10]);
    expect(ds.every((d) => d.kind === 'restart')).toBe(true);
    expect(ds.at(-1)!.history.exits).toHaveLength(4);
  });

  it('counts exits, whatever their cause, within the window of the policy given', () => {
    const policy = { ...DEFAULT_RESTART_POLICY, crashLimit: 2, crashWindowMs: 1000 };
    const first = decideRestart(NO_RESTARTS, { startedAt: 0, exitedAt: 100 }, policy);
    expect(first.kind).toBe('restart');
    expect(decideRestart(first.history, { startedAt: 1100, exitedAt: 1200 }, policy).kind).toBe('restart');
    expect(decideRestart(first.history, { startedAt: 1000, exitedAt: 1050 }, policy).kind).toBe('give-up');
  });

  it('says waits in seconds', () => {
    expect([1000, 1500, 30_000].map(formatDelay)).toEqual(['1 s', '1.5 s', '30 s']);
  });
});
