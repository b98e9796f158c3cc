import { expect, it } from 'vitest';
import { formatDuration } from './format';

it.each([
  [500, '500ms'],
  [1000, '1s'],
  [1500, '1.5s'],
  [90_000, '1m30s'],
  [3_600_000, '1h0m0s'],
])('formats %d ms as %s', (ms, text) => {
  expect(formatDuration(ms)).toBe(text);
});
