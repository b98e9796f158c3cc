import { describe, expect, it } from 'vitest';
import { sseResponse, type SseEvent } from './sse-response';

async function readAll(res: Response): Promise<string> {
  return await res.text();
}

describe('sseResponse', () => {
  it('writes event and data lines per event and ends with the iterable', async () => {
    async function* events(): AsyncGenerator<SseEvent> {
      yield { event: 'log', data: { line: 'a\nb' } };
      yield { event: 'end', data: { reason: 'completed' } };
    }
    const res = sseResponse(events(), new AbortController());
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await readAll(res)).toBe(
      'event: log\ndata: {"line":"a\\nb"}\n\nevent: end\ndata: {"reason":"completed"}\n\n',
    );
  });

  it('sends `retry:` first when asked, and an `id:` line (without line breaks) for events that carry one', async () => {
    async function* events(): AsyncGenerator<SseEvent> {
      yield { event: 'chunk', id: 7, data: {} };
      yield { event: 'chunk', id: '8\nevent: forged', data: {} };
      yield { event: 'end', data: {} };
    }
    expect(await readAll(sseResponse(events(), new AbortController(), { retryMs: 1000 }))).toBe(
      'retry: 1000\n\nid: 7\nevent: chunk\ndata: {}\n\nid: 8event: forged\nevent: chunk\ndata: {}\n\nevent: end\ndata: {}\n\n',
    );
  });

  it('sends a comment ping while the source is quiet', async () => {
    const gone = new AbortController();
    async function* quiet(): AsyncGenerator<SseEvent> {
      await new Promise((r) => setTimeout(r, 120));
      yield { event: 'end', data: {} };
    }
    const text = await readAll(sseResponse(quiet(), gone, { pingMs: 25 }));
    expect(text.match(/: ping\n\n/g)?.length).toBeGreaterThanOrEqual(2);
    expect(text.endsWith('event: end\ndata: {}\n\n')).toBe(true);
  });

  it('aborts `gone` and returns the source when the client cancels the body', async () => {
    const gone = new AbortController();
    let finished = false;
    async function* endless(): AsyncGenerator<SseEvent> {
      try {
        for (let i = 0; ; i++) {
          yield { event: 'log', data: { i } };
          await new Promise((r) => setTimeout(r, 5));
        }
      } finally {
        finished = true;
      }
    }
    const reader = sseResponse(endless(), gone).body!.getReader();
    await reader.read();
    await reader.cancel();
    expect(gone.signal.aborted).toBe(true);
    await new Promise((r) => setTimeout(r, 30));
    expect(finished).toBe(true);
  });

  it('turns a source that throws into a generic error event, and logs the detail on the server only', async () => {
    async function* failing(): AsyncGenerator<SseEvent> {
      yield { event: 'log', data: 1 };
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    }
    const logged: string[] = [];
    const text = await readAll(sseResponse(failing(), new AbortController(), { log: (l) => logged.push(l) }));
    expect(text).toBe(
      'event: log\ndata: 1\n\nevent: error\ndata: {"message":"internal error; see the server log"}\n\n',
    );
    expect(text).not.toMatch(/5432/);
    expect(logged.join('\n')).toMatch(/ECONNREFUSED 127\.0\.0\.1:5432/);
  });

  it('queues at most about queueBytes for a client that does not read, counted in bytes not events', async () => {
    let pulled = 0;
    const big = 'x'.repeat(50 * 1024);
    async function* source(): AsyncGenerator<SseEvent> {
      for (;;) {
        pulled++;
        yield { event: 'log', data: big };
      }
    }
    const gone = new AbortController();
    const res = sseResponse(source(), gone, { queueBytes: 256 * 1024 });
    await new Promise((r) => setTimeout(r, 100));
    // 256 KiB / 50 KiB: the sixth event fills the queue (and one more may be on its way); 64 would be 3.2 MiB.
    expect(pulled).toBeGreaterThanOrEqual(5);
    expect(pulled).toBeLessThanOrEqual(8);
    await res.body!.cancel();
    expect(gone.signal.aborted).toBe(true);
  });

  it('cuts a client off that has read nothing of its queue for stallMs: gone aborted, source returned', async () => {
    const gone = new AbortController();
    let finished = false;
    async function* endless(): AsyncGenerator<SseEvent> {
      try {
        for (let i = 0; ; i++) {
          yield { event: 'log', data: { i } };
          await new Promise((r) => setTimeout(r, 5));
        }
      } finally {
        finished = true;
      }
    }
    const started = Date.now();
    const reader = sseResponse(endless(), gone, { stallMs: 300 }).body!.getReader();
    await reader.read();
    await new Promise((r) => gone.signal.addEventListener('abort', r, { once: true }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(1500);
    await expect.poll(() => finished).toBe(true);
    await expect(reader.read()).rejects.toThrow(/read nothing/);
  });

  it('does not cut a client that reads slowly but keeps reading, nor one waiting on a quiet source', async () => {
    const gone = new AbortController();
    async function* source(): AsyncGenerator<SseEvent> {
      for (let i = 0; i < 40; i++) yield { event: 'log', data: { i } };
      await new Promise((r) => setTimeout(r, 400));
      yield { event: 'end', data: {} };
    }
    const reader = sseResponse(source(), gone, { stallMs: 200 }).body!.getReader();
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(gone.signal.aborted).toBe(false);
    expect(text.match(/event: log/g)).toHaveLength(40);
    expect(text.endsWith('event: end\ndata: {}\n\n')).toBe(true);
  });
});
