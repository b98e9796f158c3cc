import { describe, expect, it } from 'vitest';
import { CUT_MARKER, LogLineSplitter, MAX_LINE_BYTES, splitTimestamp } from './log-lines';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('LogLineSplitter', () => {
  it('splits on newlines across chunks and keeps empty lines, spaces and ANSI escapes', () => {
    const s = new LogLineSplitter();
    expect(s.push(bytes('one\n\x1b[31mre'))).toEqual(['one']);
    expect(s.push(bytes('d\x1b[0m\n\n  indented\n'))).toEqual(['\x1b[31mred\x1b[0m', '', '  indented']);
    expect(s.end()).toBeUndefined();
  });

  it('gives the last line without a newline at the end', () => {
    const s = new LogLineSplitter();
    expect(s.push(bytes('a\nb'))).toEqual(['a']);
    expect(s.end()).toBe('b');
  });

  it('joins a multi-byte character split between chunks', () => {
    const s = new LogLineSplitter();
    const all = bytes('grüße 🚀\n');
    expect(s.push(all.subarray(0, 3))).toEqual([]);
    expect(s.push(all.subarray(3, 9))).toEqual([]);
    expect(s.push(all.subarray(9))).toEqual(['grüße 🚀']);
  });

  it('cuts a line longer than 64 KiB with a marker, drops the rest, and goes on with the next line', () => {
    const s = new LogLineSplitter();
    const long = 'x'.repeat(MAX_LINE_BYTES + 10_000);
    const lines = [...s.push(bytes(long.slice(0, 40_000))), ...s.push(bytes(`${long.slice(40_000)}\nnext\n`))];
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('x'.repeat(MAX_LINE_BYTES) + CUT_MARKER);
    expect(lines[1]).toBe('next');
  });

  it('does not cut a multi-byte character in half at the limit', () => {
    const s = new LogLineSplitter(10);
    // 9 ASCII bytes, then a 4-byte emoji that would straddle byte 10.
    const [line] = s.push(bytes('123456789🚀🚀\n'));
    expect(line).toBe(`123456789${CUT_MARKER}`);
    expect(line).not.toContain('\ufffd');
  });

  it('never holds more than the limit while a long line arrives', () => {
    const s = new LogLineSplitter(1024);
    for (let i = 0; i < 1000; i++) expect(s.push(bytes('y'.repeat(1000)))).toEqual([]);
    expect(s.end()).toBe('y'.repeat(1024) + CUT_MARKER);
  });
});

describe('splitTimestamp', () => {
  it("takes the kubelet's RFC3339Nano prefix off the line", () => {
    expect(splitTimestamp('2026-12-04T23:46:47.123456789Z hello world')).toEqual({
      timestamp: '2026-12-04T23:46:47.123456789Z',
      line: 'hello world',
    });
  });

  it('keeps what follows the one separating space as it is, empty lines included', () => {
    expect(splitTimestamp('2026-12-04T23:46:47Z   three spaces')).toEqual({
      timestamp: '2026-12-04T23:46:47Z',
      line: '  three spaces',
    });
    expect(splitTimestamp('2026-12-04T23:46:47.5+01:00 ')).toEqual({
      timestamp: '2026-12-04T23:46:47.5+01:00',
      line: '',
    });
    expect(splitTimestamp('2026-12-04T23:46:47.5Z')).toEqual({ timestamp: '2026-12-04T23:46:47.5Z', line: '' });
  });

  it('leaves a line without a timestamp (or with a look-alike) untouched', () => {
    expect(splitTimestamp('hello')).toEqual({ timestamp: null, line: 'hello' });
    expect(splitTimestamp('2026-12-04 23:46:47 not rfc3339')).toEqual({
      timestamp: null,
      line: '2026-12-04 23:46:47 not rfc3339',
    });
    expect(splitTimestamp('2026-12-04T23:46:47Zglued')).toEqual({ timestamp: null, line: '2026-12-04T23:46:47Zglued' });
  });
});
