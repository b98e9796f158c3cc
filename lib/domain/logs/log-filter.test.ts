import { describe, expect, it } from 'vitest';
import { parseAnsi } from './ansi';
import { BASE_COLORS } from './ansi-colors';
import { filterLines, markSegments, matchRanges } from './log-filter';

describe('matchRanges', () => {
  it('finds every case-insensitive occurrence without overlaps', () => {
    expect(matchRanges('Error: error ERROR', 'error')).toEqual([
      [0, 5],
      [7, 12],
      [13, 18],
    ]);
    expect(matchRanges('aaaa', 'aa')).toEqual([
      [0, 2],
      [2, 4],
    ]);
    expect(matchRanges('abc', '')).toEqual([]);
  });

  it('treats the query as plain text, not a pattern', () => {
    expect(matchRanges('a.b axb (x)', '.')).toEqual([[1, 2]]);
    expect(matchRanges('a.b axb (x)', '(x)')).toEqual([[8, 11]]);
  });

  it('keeps indexes aligned when a character lower-cases to more units', () => {
    expect(matchRanges('İstanbul warn', 'warn')).toEqual([[9, 13]]);
  });
});

describe('filterLines', () => {
  const lines = [{ plain: 'GET /healthz 200' }, { plain: 'POST /api 500 Internal' }, { plain: 'get /metrics' }];
  it('keeps the lines containing the query, case-insensitively, in order', () => {
    expect(filterLines(lines, 'get')).toEqual([lines[0], lines[2]]);
    expect(filterLines(lines, 'internal')).toEqual([lines[1]]);
    expect(filterLines(lines, 'nothing')).toEqual([]);
  });
  it('returns all lines for an empty query', () => {
    expect(filterLines(lines, '')).toBe(lines);
  });
});

describe('markSegments', () => {
  it('splits a match that spans two colours into two marked runs that keep their colours', () => {
    const segs = parseAnsi('\x1b[31mfoo\x1b[32mbar\x1b[0m baz');
    expect(markSegments(segs, 'OB')).toEqual([
      { text: 'fo', style: { fg: BASE_COLORS[1] } },
      { text: 'o', style: { fg: BASE_COLORS[1] }, mark: true },
      { text: 'b', style: { fg: BASE_COLORS[2] }, mark: true },
      { text: 'ar', style: { fg: BASE_COLORS[2] } },
      { text: ' baz', style: {} },
    ]);
  });

  it('marks several matches inside one segment and leaves the text whole', () => {
    const marked = markSegments(parseAnsi('a-x-a-x'), 'x');
    expect(marked.map((s) => s.text).join('')).toBe('a-x-a-x');
    expect(marked.filter((s) => s.mark).map((s) => s.text)).toEqual(['x', 'x']);
  });

  it('returns the segments unchanged without a match', () => {
    const segs = parseAnsi('plain');
    expect(markSegments(segs, 'zzz')).toEqual(segs);
  });
});
