import { describe, expect, it } from 'vitest';
import { labelValue } from './labels';
import { parseStampedLine } from './step-logs';

describe('parseStampedLine', () => {
  const fallback = new Date('2000-01-01T00:00:00Z');

  it("splits the API server's RFC3339Nano stamp from the text, keeping milliseconds", () => {
    const { at, text } = parseStampedLine('2026-12-05T03:00:09.123456789Z hello  world ', fallback);
    expect(at.toISOString()).toBe('2026-12-05T03:00:09.123Z');
    expect(text).toBe('hello  world ');
  });

  it('keeps an empty line empty and a line without a stamp whole', () => {
    expect(parseStampedLine('2026-12-05T03:00:09Z ', fallback).text).toBe('');
    expect(parseStampedLine('no stamp here', fallback)).toEqual({ at: fallback, text: 'no stamp here' });
  });
});

describe('labelValue', () => {
  it('keeps a valid value and shortens anything else to a valid, distinct one', () => {
    expect(labelValue('build-pr-x7k2q')).toBe('build-pr-x7k2q');
    const a = labelValue(`${'x'.repeat(70)}a`);
    const b = labelValue(`${'x'.repeat(70)}b`);
    expect(a).not.toBe(b);
    for (const v of [a, b, labelValue('My Project!'), labelValue('-x-')])
      expect(v).toMatch(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/);
    expect(a.length).toBeLessThanOrEqual(63);
  });
});
