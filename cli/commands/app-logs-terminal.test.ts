import { describe, expect, it } from 'vitest';
import { forTerminal, lineFilter } from './app-logs-terminal';

const ESC = '\x1b';
const BEL = '\x07';
const ST = `${ESC}\\`;

describe('forTerminal', () => {
  it('keeps SGR colours and styles, 256-colour and true-colour ones included', () => {
    for (const line of [
      `${ESC}[32mgreen${ESC}[0m`,
      `${ESC}[1;4;31mbold${ESC}[m`,
      `${ESC}[38;5;208morange${ESC}[39m`,
      `${ESC}[38;2;10;20;30mrgb${ESC}[0m`,
      `${ESC}[38:2::10:20:30mrgb${ESC}[0m`,
      'plain text, tabs\tkept, ünïcödé ✓',
    ])
      expect(forTerminal(line)).toBe(line);
    // The 8-bit CSI form of SGR comes out as ESC [.
    expect(forTerminal('\x9b31mred\x9b0m')).toBe(`${ESC}[31mred${ESC}[0m`);
  });

  it('removes OSC strings: clipboard (OSC 52), links (OSC 8), window titles, ended by BEL, ST or nothing', () => {
    expect(forTerminal(`a${ESC}]52;c;${Buffer.from('rm -rf ~').toString('base64')}${BEL}b`)).toBe('ab');
    expect(forTerminal(`${ESC}]8;;https://evil.example/${ST}click${ESC}]8;;${ST}`)).toBe('click');
    expect(forTerminal(`${ESC}]0;pwned${BEL}x`)).toBe('x');
    expect(forTerminal(`${ESC}]2;title cut off`)).toBe('');
    expect(forTerminal(`\x9d52;c;aGk=\x9cz`)).toBe('z');
  });

  it('removes cursor movement, erasing, modes and other CSI that is not SGR', () => {
    expect(forTerminal(`ok${ESC}[2J${ESC}[H${ESC}[1A${ESC}[2Kfake line`)).toBe('okfake line');
    expect(forTerminal(`${ESC}[?25l${ESC}[?1049hhidden`)).toBe('hidden');
    expect(forTerminal(`${ESC}[>4;2m${ESC}[6n${ESC}[0"p${ESC}[31`)).toBe('');
    expect(forTerminal('\x9b2Jx')).toBe('x');
  });

  it('removes DCS, APC, PM and SOS strings, other ESC sequences, lone ESC and control characters but TAB', () => {
    expect(forTerminal(`${ESC}P+q544e${ST}a${ESC}_apc${ST}b${ESC}^pm${ST}c${ESC}Xsos${ST}d`)).toBe('abcd');
    expect(forTerminal(`${ESC}7${ESC}8${ESC}c${ESC}(0x${ESC}`)).toBe('x');
    expect(forTerminal(`over\rwrite\b\b${BEL}\x00\x7f\x85\x8dtail\tend`)).toBe('overwritetail\tend');
    expect(forTerminal('a\x90dcs\x9cb')).toBe('ab');
  });
});

describe('lineFilter', () => {
  const hostile = `${ESC}[31mred${ESC}[0m${ESC}]52;c;aGk=${BEL}`;
  it('strips for a terminal, keeps everything with --raw or when stdout is not a terminal', () => {
    expect(lineFilter({ isTTY: true, raw: false })(hostile)).toBe(`${ESC}[31mred${ESC}[0m`);
    expect(lineFilter({ isTTY: true, raw: true })(hostile)).toBe(hostile);
    expect(lineFilter({ isTTY: false, raw: false })(hostile)).toBe(hostile);
  });
});
