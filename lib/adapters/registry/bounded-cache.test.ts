import { describe, expect, it } from 'vitest';
import { BoundedCache } from './bounded-cache';

describe('BoundedCache', () => {
  it('evicts the least recently used entry beyond its size', () => {
    const cache = new BoundedCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([1, undefined, 3, 2]);
  });

  it('forgets entries after their time to live', () => {
    let now = 1000;
    const cache = new BoundedCache<string>(10, () => now);
    cache.set('tag', 'sha256:x', 60_000);
    cache.set('digest', 'kept');
    now += 59_999;
    expect(cache.get('tag')).toBe('sha256:x');
    now += 1;
    expect([cache.get('tag'), cache.get('digest'), cache.size]).toEqual([undefined, 'kept', 1]);
  });
});
