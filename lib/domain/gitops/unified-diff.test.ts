import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './unified-diff';

const lines = (...l: string[]) => `${l.join('\n')}\n`;

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff(lines('a', 'b'), lines('a', 'b'))).toBe('');
  });

  it('shows a change with three lines of context and diff -u headers', () => {
    const before = lines('1', '2', '3', '4', '5', '6', '7', '8', '9');
    const after = lines('1', '2', '3', '4', 'five', '6', '7', '8', '9');
    expect(unifiedDiff(before, after, { fromFile: 'live', toFile: 'desired' })).toBe(
      lines('--- live', '+++ desired', '@@ -2,7 +2,7 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8'),
    );
  });

  it('splits far-apart changes into separate hunks and merges close ones', () => {
    const before = lines(...'abcdefghijklmnop'.split(''));
    const after = lines(...'Abcdefghijklmnop'.split('').map((c) => (c === 'p' ? 'P' : c)));
    const out = unifiedDiff(before, after);
    expect(out.match(/^@@/gm)).toHaveLength(2);
    expect(out).toContain('@@ -1,4 +1,4 @@');
    expect(out).toContain('@@ -13,4 +13,4 @@');
    const close = unifiedDiff(lines('a', 'b', 'c', 'd', 'e'), lines('A', 'b', 'c', 'd', 'E'));
    expect(close.match(/^@@/gm)).toHaveLength(1);
  });

  it('lists removals before additions inside a change', () => {
    const out = unifiedDiff(lines('x', 'old1', 'old2', 'y'), lines('x', 'new1', 'new2', 'y'));
    expect(out.split('\n').filter((l) => /^[-+][^-+]/.test(l))).toEqual(['-old1', '-old2', '+new1', '+new2']);
  });

  it('diffs against an empty side with a zero-length range', () => {
    expect(unifiedDiff('', lines('a', 'b'))).toBe(lines('--- a', '+++ b', '@@ -0,0 +1,2 @@', '+a', '+b'));
    expect(unifiedDiff(lines('a'), '')).toBe(lines('--- a', '+++ b', '@@ -1 +0,0 @@', '-a'));
  });

  it('keeps a common line between an insertion and a deletion', () => {
    const out = unifiedDiff(lines('keep', 'gone'), lines('new', 'keep'));
    expect(out).toContain(lines('+new', ' keep', '-gone'));
  });
});
