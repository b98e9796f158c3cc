import { describe, expect, it } from 'vitest';
import { downloadText, logFileName, shortTimestamp } from './log-download';

const lines = [
  { plain: 'first', timestamp: '2026-12-04T23:46:47.123456789Z' },
  { plain: 'second', timestamp: null },
];

describe('downloadText', () => {
  it('joins the plain lines with a final newline', () => {
    expect(downloadText(lines, false)).toBe('first\nsecond\n');
  });
  it('prefixes each line with its RFC 3339 timestamp when timestamps are shown', () => {
    expect(downloadText(lines, true)).toBe('2026-12-04T23:46:47.123456789Z first\nsecond\n');
  });
  it('is empty without lines', () => {
    expect(downloadText([], true)).toBe('');
  });
});

describe('logFileName', () => {
  it('is <pod>-<container>.log', () => {
    expect(logFileName('web-7d9f-abcde', 'main')).toBe('web-7d9f-abcde-main.log');
  });
  it('replaces characters that are not safe in a file name', () => {
    expect(logFileName('../etc/passwd', 'a b')).toBe('__etc_passwd-a_b.log');
  });
});

describe('shortTimestamp', () => {
  it('shows UTC date and time to the millisecond', () => {
    expect(shortTimestamp('2026-12-04T23:46:47.123456789Z')).toBe('2026-12-04 23:46:47.123');
    expect(shortTimestamp('2026-12-04T23:46:47Z')).toBe('2026-12-04 23:46:47.000');
    expect(shortTimestamp('2026-12-05T01:46:47.5+02:00')).toBe('2026-12-04 23:46:47.500');
  });
  it('leaves text that is not RFC 3339 alone, and shows nothing for null', () => {
    expect(shortTimestamp('yesterday')).toBe('yesterday');
    expect(shortTimestamp(null)).toBe('');
  });
});
