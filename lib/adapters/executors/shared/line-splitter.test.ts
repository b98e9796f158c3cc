import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter';

describe('LineSplitter', () => {
  it('joins partial lines across chunks and keeps a final line without newline', () => {
    const s = new LineSplitter();
    expect(s.push('hel')).toEqual([]);
    expect(s.push('lo\nwor')).toEqual(['hello']);
    expect(s.push('ld\n\nlast')).toEqual(['world', '']);
    expect(s.end()).toEqual(['last']);
  });

  it('treats \\r\\n as one line ending, even split between chunks', () => {
    const s = new LineSplitter();
    expect(s.push('a\r')).toEqual([]);
    expect(s.push('\nb\r\n')).toEqual(['a', 'b']);
    expect(s.end()).toEqual([]);
  });

  it('decodes multi-byte characters split across chunks', () => {
    const s = new LineSplitter();
    const bytes = Buffer.from('héllo ✓\n');
    expect(s.push(bytes.subarray(0, 2))).toEqual([]);
    expect(s.push(bytes.subarray(2, 9))).toEqual([]);
    expect(s.push(bytes.subarray(9))).toEqual(['héllo ✓']);
  });

  it('cuts overlong lines so memory stays bounded', () => {
    const s = new LineSplitter(4);
    expect(s.push('abcdefghij')).toEqual(['abcd', 'efgh']);
    expect(s.push('k\n')).toEqual(['ijk']);
    expect(s.push('0123456789\n')).toEqual(['0123', '4567', '89']);
  });

  it('returns nothing at end when the stream ended on a newline', () => {
    const s = new LineSplitter();
    expect(s.push('x\n')).toEqual(['x']);
    expect(s.end()).toEqual([]);
  });
});
