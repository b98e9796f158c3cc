import { describe, expect, it } from 'vitest';
import { describeRunRetention, parseRunRetention } from './run-retention';

describe('parseRunRetention', () => {
  it('reads keep, max-age, a bare duration and unlimited', () => {
    expect(parseRunRetention('')).toEqual({});
    expect(parseRunRetention('unlimited')).toEqual({});
    expect(parseRunRetention('keep=100')).toEqual({ keep: 100 });
    expect(parseRunRetention('30d')).toEqual({ maxAgeMs: 30 * 86_400_000 });
    expect(parseRunRetention('keep=5, max-age=12h')).toEqual({ keep: 5, maxAgeMs: 12 * 3_600_000 });
    expect(parseRunRetention('keep-since=90m')).toEqual({ maxAgeMs: 90 * 60_000 });
    expect(describeRunRetention(parseRunRetention('keep=5,max-age=2d'))).toBe(
      'keep the newest 5 per pipeline, delete after 48h',
    );
  });

  it('refuses what it cannot read with a sentence saying what to write', () => {
    expect(() => parseRunRetention('keep=0')).toThrow(/whole number of runs, 1 or more/);
    expect(() => parseRunRetention('keep=ten')).toThrow(/keep=ten/);
    expect(() => parseRunRetention('30')).toThrow(/such as 30d, 12h or 90m/);
    expect(() => parseRunRetention('max-age=1w')).toThrow(/"1w" is not a duration/);
    expect(() => parseRunRetention('keep=1,keep=2')).toThrow(/given twice/);
    expect(() => parseRunRetention('newest=3')).toThrow(/keep=<runs per pipeline> and\/or max-age=<age>/);
  });
});
