import { describe, expect, it } from 'vitest';
import { isTimeBound, TIME_BOUND_PATTERN } from '@/lib/domain/audit/audit-filter';
import { GO_DURATION_PATTERN, parseGoDuration } from '@/lib/domain/pipeline/duration';

/** Patterns the OpenAPI document carries must not allow what the API's own checks refuse. */
describe('patterns written into the OpenAPI document', () => {
  it.each([
    ['1h30m', true],
    ['10s', true],
    ['500ms', true],
    ['1.5h', true],
    ['.5s', true],
    ['0', true],
    ['+0', true],
    [' 2m ', true],
    ['', false],
    ['1', false],
    ['-1s', false],
    ['1d', false],
    ['h', false],
    ['1h-', false],
  ])('Go duration %j: %s, as parseGoDuration has it', (text, ok) => {
    expect(GO_DURATION_PATTERN.test(text)).toBe(ok);
    expect(parseGoDuration(text) !== undefined).toBe(ok);
  });

  it.each([
    ['30m', true],
    ['7d', true],
    ['2026-01-31', true],
    ['2026-01-31T12:00:00Z', true],
    ['2026-01-31t12:00:00.123456789+02:00', true],
    ['2026-01-31T12:00Z', true],
    ['1y', false],
    ['2026-13-01', false],
    ['2026-01-31T25:00:00Z', false],
    ['2026-01-31T12:00:00', false],
    ['yesterday', false],
  ])('time bound %j: %s, as isTimeBound has it', (text, ok) => {
    expect(TIME_BOUND_PATTERN.test(text)).toBe(ok);
    expect(isTimeBound(text)).toBe(ok);
  });
});
