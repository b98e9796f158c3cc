import { expect, it } from 'vitest';
import { decodeSegment } from './decode-segment';

it('decodes escapes and keeps a lone % as it is (no URIError, no 500)', () => {
  expect(decodeSegment('my%20app')).toBe('my app');
  expect(decodeSegment('100%')).toBe('100%');
  expect(decodeSegment('%E0%A4%A')).toBe('%E0%A4%A');
});
