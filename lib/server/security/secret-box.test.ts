import { expect, it } from 'vitest';
import { secretBox } from './secret-box';

it('round-trips, never repeats a ciphertext, and refuses tampering or the wrong key', () => {
  const box = secretBox('k'.repeat(40));
  const a = box.seal('hunter2');
  const b = box.seal('hunter2');
  expect(a).not.toBe(b);
  expect(a).not.toContain('hunter2');
  expect(box.open(a)).toBe('hunter2');
  const parts = a.split(':');
  parts[2] = Buffer.from('tampered').toString('base64url');
  expect(() => box.open(parts.join(':'))).toThrow();
  expect(() => secretBox('other'.repeat(10)).open(a)).toThrow();
});
