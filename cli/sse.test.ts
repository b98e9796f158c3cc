import { describe, expect, it } from 'vitest';
import { readEvents } from './sse';

const streamOf = (chunks: string[]) =>
  new Response(
    new ReadableStream<Uint8Array>({
      start(c) {
        for (const chunk of chunks) c.enqueue(new TextEncoder().encode(chunk));
        c.close();
      },
    }),
  );

describe('readEvents', () => {
  it('yields events split across chunks, with event name, id and multi-line data', async () => {
    const out = [];
    for await (const e of readEvents(streamOf(['event: log\nid: 7\nda', 'ta: a\ndata: b\n\n', 'data: plain\n\n'])))
      out.push(e);
    expect(out).toEqual([
      { event: 'log', id: '7', data: 'a\nb' },
      { event: 'message', id: undefined, data: 'plain' },
    ]);
  });

  it('cancels the stream when the consumer stops early', async () => {
    let cancelled = false;
    const res = new Response(
      new ReadableStream<Uint8Array>({
        pull(c) {
          c.enqueue(new TextEncoder().encode('data: x\n\n'));
        },
        cancel() {
          cancelled = true;
        },
      }),
    );
    for await (const e of readEvents(res)) {
      expect(e.data).toBe('x');
      break;
    }
    expect(cancelled).toBe(true);
  });
});
