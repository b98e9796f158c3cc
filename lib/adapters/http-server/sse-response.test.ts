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

  it('turns a source that throws into an error event, not a broken response', async () => {
    async function* failing(): AsyncGenerator<SseEvent> {
      yield { event: 'log', data: 1 };
      throw new Error('upstream went away');
    }
    expect(await readAll(sseResponse(failing(), new AbortController()))).toBe(
      'event: log\ndata: 1\n\nevent: error\ndata: {"message":"upstream went away"}\n\n',
    );
  });
});
