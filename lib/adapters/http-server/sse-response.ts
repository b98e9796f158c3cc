/** Server-sent events from an async iterable: `event: NAME` / `data: JSON`, with a comment ping to keep it open. */

export const SSE_PING_MS = 15_000;

export interface SseEvent {
  event: string;
  data: unknown;
}

/**
 * A text/event-stream Response. The events are pulled as the client reads (a slow client slows the source);
 * `: ping` goes out every `pingMs` so that proxies keep an idle stream open. When the client goes away
 * (the request's signal, or the body cancelled) `gone` is aborted and the iterator returned.
 */
export function sseResponse(
  events: AsyncIterable<SseEvent>,
  gone: AbortController,
  opts: { signal?: AbortSignal; pingMs?: number } = {},
): Response {
  const encoder = new TextEncoder();
  const iterator = events[Symbol.asyncIterator]();
  let ping: ReturnType<typeof setInterval> | undefined;
  const finish = () => {
    clearInterval(ping);
    if (!gone.signal.aborted) gone.abort();
    void iterator.return?.();
  };
  /** Enqueues unless the client already left (a cancelled stream refuses more). */
  const send = (controller: ReadableStreamDefaultController<Uint8Array>, text: string) => {
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      clearInterval(ping);
    }
  };
  const close = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    try {
      controller.close();
    } catch {
      // already cancelled by the client
    }
  };
  if (opts.signal?.aborted) finish();
  opts.signal?.addEventListener('abort', finish, { once: true });
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        ping = setInterval(() => send(controller, ': ping\n\n'), opts.pingMs ?? SSE_PING_MS);
        ping.unref?.();
      },
      async pull(controller) {
        try {
          const next = await iterator.next();
          if (next.done) {
            clearInterval(ping);
            close(controller);
            return;
          }
          if (gone.signal.aborted) return;
          const { event, data } = next.value;
          send(controller, `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        } catch (err) {
          clearInterval(ping);
          const message = err instanceof Error ? err.message : String(err);
          send(controller, `event: error\ndata: ${JSON.stringify({ message })}\n\n`);
          close(controller);
        }
      },
      cancel: finish,
    },
    { highWaterMark: 64 },
  );
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    },
  });
}
