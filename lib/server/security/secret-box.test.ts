import { describe, expect, it } from 'vitest';
import { sealV1 } from '@/tests/fixtures/seal-v1';
import { keyringBox, sealedKeyId, sealingKey, secretBox, type SealingKey } from './secret-box';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('secret box', () => {
  it('round-trips, never repeats a ciphertext, and refuses tampering or the wrong key', () => {
    const box = secretBox('k'.repeat(40));
    const a = box.seal('hunter2');
    const b = box.seal('hunter2');
    expect(a).not.toBe(b);
    expect(a).not.toContain('hunter2');
    expect(box.open(a)).toBe('hunter2');
    const parts = a.split(':');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join(':'))).toThrow();
    expect(() => secretBox('other'.repeat(10)).open(a)).toThrow();
  });

  it('names its key in each value and binds the name: a value relabelled with another key id does not open', () => {
    const sealed = secretBox([B, A]).seal('x');
    expect(sealedKeyId(sealed)).toBe(sealingKey(B).id);
    expect(sealed.startsWith(`v2:${sealingKey(B).id}:`)).toBe(true);
    const both = secretBox([A, B]);
    const relabelled = sealed.replace(sealingKey(B).id, sealingKey(A).id);
    expect(() => both.open(relabelled)).toThrow();
    expect(sealingKey(A).id).not.toBe(sealingKey(B).id);
    expect(sealingKey(A).id).toMatch(/^[0-9a-f]{12}$/);
  });

  it('opens values of every key it holds, seals with the first, and still reads the v1 format', () => {
    const old = secretBox(A).seal('from A');
    const v1 = sealV1(A, 'legacy');
    const ring = secretBox([B, A]);
    expect(ring.open(old)).toBe('from A');
    expect(ring.open(v1)).toBe('legacy');
    expect(ring.activeKeyId()).toBe(sealingKey(B).id);
    expect(() => secretBox(B).open(old)).toThrow(/does not have/);
    expect(() => secretBox(B).open(v1)).toThrow();
  });

  it('asks its source again when a value names a key it has not seen (a rotation running elsewhere)', () => {
    let keys: SealingKey[] = [sealingKey(A)];
    const box = keyringBox({ keys: () => keys, refresh: () => (keys = [sealingKey(B), sealingKey(A)]) });
    expect(box.open(secretBox(B).seal('new'))).toBe('new');
    expect(box.activeKeyId()).toBe(sealingKey(B).id);
  });
});
