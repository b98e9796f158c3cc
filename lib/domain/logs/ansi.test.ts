import { describe, expect, it } from 'vitest';
import { BASE_COLORS, color256 } from './ansi-colors';
import { applySgr, parseAnsi, stripAnsi } from './ansi';

const ESC = '\x1b';

describe('parseAnsi', () => {
  it('returns one unstyled segment for plain text, and none for an empty line', () => {
    expect(parseAnsi('hello world')).toEqual([{ text: 'hello world', style: {} }]);
    expect(parseAnsi('')).toEqual([]);
  });

  it('colours text with SGR 30–37 and 90–97 and resets with 0 and with an empty SGR', () => {
    expect(parseAnsi(`${ESC}[31mred${ESC}[0m plain ${ESC}[92mbright${ESC}[m end`)).toEqual([
      { text: 'red', style: { fg: BASE_COLORS[1] } },
      { text: ' plain ', style: {} },
      { text: 'bright', style: { fg: BASE_COLORS[10] } },
      { text: ' end', style: {} },
    ]);
  });

  it('combines bold with a background (40–47, 100–107) and keeps the style until a change', () => {
    expect(parseAnsi(`${ESC}[1;44mA${ESC}[22mB${ESC}[49mC${ESC}[103mD`)).toEqual([
      { text: 'A', style: { bold: true, bg: BASE_COLORS[4] } },
      { text: 'B', style: { bg: BASE_COLORS[4] } },
      { text: 'C', style: {} },
      { text: 'D', style: { bg: BASE_COLORS[11] } },
    ]);
  });

  it('reads 256-colour and truecolor foregrounds and backgrounds, also in the colon form', () => {
    expect(parseAnsi(`${ESC}[38;5;208mo${ESC}[48;2;1;2;255mt${ESC}[0;38:2::16:32:48mc`)).toEqual([
      { text: 'o', style: { fg: color256(208) } },
      { text: 't', style: { fg: color256(208), bg: '#0102ff' } },
      { text: 'c', style: { fg: '#102030' } },
    ]);
    expect(color256(208)).toBe('#ff8700');
    expect(color256(244)).toBe('#808080');
  });

  it('ignores an out-of-range extended colour without eating the text', () => {
    expect(parseAnsi(`${ESC}[38;5;999mx`)).toEqual([{ text: 'x', style: {} }]);
  });

  it('never shows escapes raw: cursor moves, erase, OSC titles and hyperlinks, truncated and lone ESC are dropped', () => {
    const line = `${ESC}[2K${ESC}[1Gstart ${ESC}]0;title${ESC}\\${ESC}]8;;http://x${ESC}\\link${ESC}]8;;${ESC}\\ ${ESC}(Bok${ESC}[31`;
    expect(stripAnsi(line)).toBe('start link ok');
    expect(stripAnsi(`a${ESC}b`)).toBe('a');
    expect(stripAnsi(`a${ESC}`)).toBe('a');
    expect(stripAnsi('a\x9b1mb')).toBe('ab');
    for (const s of parseAnsi(line)) expect(s.text.includes('\x1b') || s.text.includes('\x9b')).toBe(false);
  });

  it('drops control characters but keeps tabs, and treats a carriage return as a terminal would', () => {
    expect(stripAnsi('a\tb\x07c\x00d')).toBe('a\tbcd');
    expect(stripAnsi('10%\r50%\r100%')).toBe('100%');
    expect(stripAnsi('windows line\r')).toBe('windows line');
  });

  it('keeps markup as text: nothing in a segment is interpreted', () => {
    const line = `${ESC}[31m<img src=x onerror=alert(1)>${ESC}[0m`;
    expect(parseAnsi(line)).toEqual([{ text: '<img src=x onerror=alert(1)>', style: { fg: BASE_COLORS[1] } }]);
  });

  it('merges neighbouring runs that end up with the same style', () => {
    expect(parseAnsi(`${ESC}[31ma${ESC}[31mb${ESC}[1m${ESC}[22mc`)).toEqual([
      { text: 'abc', style: { fg: BASE_COLORS[1] } },
    ]);
  });
});

describe('applySgr', () => {
  it('turns attributes on and off one by one', () => {
    const on = applySgr({}, '1;2;3;4;7;9');
    expect(on).toEqual({ bold: true, dim: true, italic: true, underline: true, inverse: true, strike: true });
    expect(applySgr(on, '22;23;24;27;29')).toEqual({});
    expect(applySgr({ fg: 'x', bg: 'y' }, '39')).toEqual({ bg: 'y' });
  });
});
