import { expect, it } from 'vitest';
import { age, duration } from './format-time';

it('formats ages and durations the way kubectl and tkn do', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  expect(age('2026-01-01T11:59:30Z', now)).toBe('30s ago');
  expect(age('2026-01-01T11:00:00Z', now)).toBe('1h ago');
  expect(age('2025-12-30T12:00:00Z', now)).toBe('2d ago');
  expect(duration(null)).toBe('---');
  expect(duration(250)).toBe('250ms');
  expect(duration(125_000)).toBe('2m05s');
});
