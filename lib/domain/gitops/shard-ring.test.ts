import { describe, expect, it } from 'vitest';
import { shardRing } from './shard-ring';

const names = Array.from({ length: 1000 }, (_, i) => `app-${i}`);
const members = [
  'controller-3f9a1c2e',
  'controller-b81d04aa',
  'controller-51c7e9f0',
  'controller-0d2e6b13',
  'controller-e4a97c58',
];

function shares(ring: ReturnType<typeof shardRing>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(ring.ownerOf(n)!, (counts.get(ring.ownerOf(n)!) ?? 0) + 1);
  return counts;
}

describe('shardRing', () => {
  it('owns nothing without members, everything with one', () => {
    expect(shardRing([]).ownerOf('web')).toBeUndefined();
    expect(names.every((n) => shardRing(['only']).ownerOf(n) === 'only')).toBe(true);
  });

  it.each([2, 3, 4, 5])('gives each of %i members its share of 1,000 apps within 15%', (k) => {
    const counts = shares(shardRing(members.slice(0, k)));
    expect([...counts.keys()].sort()).toEqual(members.slice(0, k).sort());
    for (const n of counts.values()) expect(Math.abs(n - 1000 / k)).toBeLessThanOrEqual((0.15 * 1000) / k);
  });

  it('does not depend on the order members are listed in', () => {
    const a = shardRing(members);
    const b = shardRing([...members].reverse());
    expect(names.every((n) => a.ownerOf(n) === b.ownerOf(n))).toBe(true);
  });

  it('moves only the apps of a member that leaves, and only to the others', () => {
    const before = shardRing(members);
    const after = shardRing(members.filter((m) => m !== members[2]));
    for (const n of names) {
      if (before.ownerOf(n) === members[2]) expect(after.ownerOf(n)).not.toBe(members[2]);
      else expect(after.ownerOf(n)).toBe(before.ownerOf(n));
    }
  });

  it('moves to a member that joins only the apps it now owns (about 1/n)', () => {
    const before = shardRing(members.slice(0, 3));
    const after = shardRing(members.slice(0, 4));
    const moved = names.filter((n) => before.ownerOf(n) !== after.ownerOf(n));
    expect(moved.every((n) => after.ownerOf(n) === members[3])).toBe(true);
    expect(Math.abs(moved.length - 250)).toBeLessThanOrEqual(0.15 * 250);
  });
});
