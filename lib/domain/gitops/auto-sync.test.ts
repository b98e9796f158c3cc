import { describe, expect, it } from 'vitest';
import { nextRetry, parseArgoDuration, retryBackoff, shouldAutoSync, type AutoSyncInput } from './auto-sync';

describe('retryBackoff', () => {
  it.each([
    [0, 5_000],
    [1, 10_000],
    [2, 20_000],
    [5, 160_000],
    [6, 180_000],
    [20, 180_000],
  ])('attempt %d waits %d ms with the defaults (5s ×2, max 3m)', (attempt, ms) => {
    expect(retryBackoff(attempt)).toBe(ms);
  });

  it('reads bare numbers as seconds and honours a custom policy', () => {
    expect(parseArgoDuration('10')).toBe(10_000);
    expect(parseArgoDuration('2m')).toBe(120_000);
    expect(retryBackoff(2, { duration: '2', factor: 3, maxDuration: '5m' })).toBe(18_000);
  });

  it('retries up to the limit, forever when negative, never without a policy', () => {
    expect(nextRetry(0, { limit: 2 })).toEqual({ retry: true, delayMs: 5_000 });
    expect(nextRetry(2, { limit: 2 })).toEqual({ retry: false });
    expect(nextRetry(50, { limit: -1 })).toEqual({ retry: true, delayMs: 180_000 });
    expect(nextRetry(0, undefined)).toEqual({ retry: false });
  });
});

const SHA = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0';
const OTHER = 'ffffffffffffffffffffffffffffffffffffffff';
const base: AutoSyncInput = {
  syncStatus: 'OutOfSync',
  automated: { prune: true, selfHeal: false },
  currentSha: SHA,
  paramsHash: 'p1',
  now: 1_000_000,
};
const last = (over: Partial<NonNullable<AutoSyncInput['lastAutoSync']>> = {}) => ({
  sha: SHA,
  paramsHash: 'p1',
  at: 1_000_000 - 60_000,
  attempts: 0,
  succeeded: true,
  ...over,
});

describe('shouldAutoSync', () => {
  it.each<[string, Partial<AutoSyncInput>, boolean, RegExp]>([
    ['not automated', { automated: undefined }, false, /not enabled/],
    ['synced', { syncStatus: 'Synced' }, false, /Synced/],
    ['unknown comparison', { syncStatus: 'Unknown' }, false, /Unknown/],
    ['pinned by a rollback', { pinnedRevision: OTHER }, false, /pinned to fffffff/],
    ['an operation running', { operationInProgress: true }, false, /in progress/],
    ['first sync to a SHA', {}, true, /auto-sync to a1b2c3d/],
    ['new SHA after an earlier sync', { lastAutoSync: last({ sha: OTHER }) }, true, /auto-sync/],
    ['same SHA, new parameters', { lastAutoSync: last({ paramsHash: 'p0' }) }, true, /auto-sync/],
    [
      'same SHA and parameters without selfHeal',
      { lastAutoSync: last() },
      false,
      /most recent sync already to a1b2c3d/,
    ],
    [
      'same SHA, last attempt failed',
      { lastAutoSync: last({ succeeded: false }), automated: { selfHeal: true } },
      false,
      /failed/,
    ],
  ])('%s', (_name, over, sync, reason) => {
    const decision = shouldAutoSync({ ...base, ...over });
    expect(decision.sync).toBe(sync);
    expect(decision.reason).toMatch(reason);
  });

  it('raises a SyncError-like message for a failed attempt', () => {
    expect(shouldAutoSync({ ...base, lastAutoSync: last({ succeeded: false }) }).error).toBe(
      `Failed sync attempt to ${SHA}`,
    );
  });

  it('records a fresh attempt count for a new SHA', () => {
    expect(shouldAutoSync({ ...base, lastAutoSync: last({ sha: OTHER, attempts: 4 }) }).record).toEqual({
      sha: SHA,
      paramsHash: 'p1',
      attempts: 0,
    });
  });

  describe('selfHeal', () => {
    const heal = { ...base, automated: { selfHeal: true } };

    it('repairs drift at once the first time', () => {
      expect(shouldAutoSync({ ...heal, lastAutoSync: last({ at: heal.now }) })).toMatchObject({
        sync: true,
        record: { attempts: 1 },
      });
    });

    it.each([
      [1, 4_000, false, 1_000],
      [1, 5_000, true, undefined],
      [3, 19_000, false, 1_000],
      [3, 20_000, true, undefined],
      [9, 179_000, false, 1_000],
    ])('after %d self-heals, %d ms later: sync=%s', (attempts, elapsed, sync, retryAfterMs) => {
      const decision = shouldAutoSync({ ...heal, lastAutoSync: last({ attempts, at: heal.now - elapsed }) });
      expect(decision.sync).toBe(sync);
      expect(decision.retryAfterMs).toBe(retryAfterMs);
    });
  });
});
