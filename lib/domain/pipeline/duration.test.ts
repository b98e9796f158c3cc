import { describe, expect, it } from 'vitest';
import { formatGoDuration, parseGoDuration } from './duration';

describe('parseGoDuration', () => {
  it.each([
    ['0', 0],
    ['0s', 0],
    ['10s', 10_000],
    ['500ms', 500],
    ['1m30s', 90_000],
    ['1h30m', 5_400_000],
    ['1h0m0s', 3_600_000],
    ['1.5h', 5_400_000],
    ['2h45m10s500ms', 9_910_500],
    ['1500us', 2],
  ])('%s → %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });

  it.each(['', '10', '1x', 'h', '-1s', '1m 30s', 'abc', '1h-5m'])('rejects %j', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});

describe('formatGoDuration', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [90_000, '1m30s'],
    [3_600_000, '1h0m0s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });
});
