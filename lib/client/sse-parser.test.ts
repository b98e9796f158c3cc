import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('dispatches named events at a blank line', () => {
    const p = new SseParser();
    expect(p.push('event: log\ndata: {"line":"a"}\n\nevent: end\ndata: {"reason":"completed"}\n\n')).toEqual([
      { event: 'log', data: '{"line":"a"}' },
      { event: 'end', data: '{"reason":"completed"}' },
    ]);
  });

  it('assembles events split anywhere across chunks, including between \\r and \\n', () => {
    const p = new SseParser();
    const text = 'event: log\r\ndata: one\r\n\r\nevent: log\r\ndata: two\r\n\r\n';
    const events = [];
    for (const ch of text) events.push(...p.push(ch));
    expect(events).toEqual([
      { event: 'log', data: 'one' },
      { event: 'log', data: 'two' },
    ]);
    // A lone \r also ends a line; a \r last in a chunk waits to see whether \n follows.
    expect(p.push('data: three\r\r')).toEqual([]);
    expect(p.push(': next\n')).toEqual([{ event: 'message', data: 'three' }]);
  });

  it('joins several data lines with \\n and strips only one space after the colon', () => {
    const p = new SseParser();
    expect(p.push('data:  a\ndata:b\ndata\n\n')).toEqual([{ event: 'message', data: ' a\nb\n' }]);
  });

  it('skips comments and events without data, and remembers the last id', () => {
    const p = new SseParser();
    expect(p.push(': keep-alive\n\nevent: log\n\nid: 7\nevent: log\ndata: x\n\ndata: y\n\n')).toEqual([
      { event: 'log', data: 'x', id: '7' },
      { event: 'message', data: 'y', id: '7' },
    ]);
  });

  it('keeps an unfinished event until its blank line, and drops it when the stream ends first', () => {
    const p = new SseParser();
    expect(p.push('event: log\ndata: partial')).toEqual([]);
    expect(p.push('\n')).toEqual([]);
    expect(p.end()).toEqual([]);
    expect(p.push('data: after\n\n')).toEqual([{ event: 'message', data: 'after' }]);
  });

  it('does not treat a colon in the data as a field separator', () => {
    const p = new SseParser();
    expect(p.push('data: {"line":"a: b"}\n\n')).toEqual([{ event: 'message', data: '{"line":"a: b"}' }]);
  });
});
