/** Server-sent events from an async iterable: `event: NAME` / `data: JSON`, with a comment ping to keep it open. */

export const SSE_PING_MS = 15_000;
/** At most about this many bytes are queued for a client that reads slower than the source writes. */
export const SSE_QUEUE_BYTES = 256 * 1024;
/** A client that has read nothing of what is queued for it for this long is cut off. */
export const SSE_STALL_MS = 60_000;
/** What the client is told when the source throws something unexpected (the detail goes to the server log). */
export const SSE_INTERNAL_ERROR = 'internal error; see the server log';

export interface SseEvent {
  event: string;
  data: unknown;
  /** Sent as `id:` (the client's `Last-Event-ID` when it reconnects). */
  id?: number | string;
}

export interface SseOptions {
  signal?: AbortSignal;
  pingMs?: number;
  /** Default SSE_STALL_MS. */
  stallMs?: number;
  /** Default SSE_QUEUE_BYTES. */
  queueBytes?: number;
  /** Where an unexpected error of the source is logged (default console.error). */
  log?: (line: string) => void;
  /** When set, sent first as `retry:` (how long an EventSource waits before it reconnects). */
  retryMs?: number;
}

/**
 * A text/event-stream Response. The events are pulled as the client reads (a slow client slows the source), with
 * at most `queueBytes` queued (counted in bytes, not events: one event may be a few hundred KiB of escaped JSON);
 * `: ping` goes out every `pingMs` while nothing is queued so that proxies keep an idle stream open. When the client
 * goes away (the request's signal, or the body cancelled), or has read nothing of what is queued for `stallMs`, `gone`
 * is aborted and the iterator returned (a stalled stream is errored, which drops its queue and closes the
 * connection). An error thrown by the source is sent as `event: error` with a generic message and logged here.
 */
export function sseResponse(events: AsyncIterable<SseEvent>, gone: AbortController, opts: SseOptions = {}): Response {
  const encoder = new TextEncoder();
  const iterator = events[Symbol.asyncIterator]();
  const queueBytes = opts.queueBytes ?? SSE_QUEUE_BYTES;
  const stallMs = opts.stallMs ?? SSE_STALL_MS;
  let ping: ReturnType<typeof setInterval> | undefined;
  let watch: ReturnType<typeof setInterval> | undefined;
  const finish = () => {
    clearInterval(ping);
    clearInterval(watch);
    if (!gone.signal.aborted) gone.abort();
    void iterator.return?.();
  };
  // Stall detection: the queue only shrinks when the client reads, so a desiredSize above the one seen last is a
  // read. `waitingSince` is when queued bytes last went unread (undefined while the queue is empty).
  let seen = queueBytes;
  let waitingSince: number | undefined;
  const observe = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    const size = controller.desiredSize ?? 0;
    if (size >= queueBytes) waitingSince = undefined;
    else if (size > seen || waitingSince === undefined) waitingSince = Date.now();
    seen = size;
  };
  /** Enqueues unless the client already left (a cancelled stream refuses more). */
  const send = (controller: ReadableStreamDefaultController<Uint8Array>, text: string) => {
    try {
      observe(controller);
      controller.enqueue(encoder.encode(text));
      observe(controller);
    } catch {
      clearInterval(ping);
      clearInterval(watch);
    }
  };
  const close = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    clearInterval(ping);
    clearInterval(watch);
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
        if (opts.retryMs !== undefined) send(controller, `retry: ${opts.retryMs}\n\n`);
        ping = setInterval(() => {
          if ((controller.desiredSize ?? 0) >= queueBytes) send(controller, ': ping\n\n');
        }, opts.pingMs ?? SSE_PING_MS);
        ping.unref?.();
        watch = setInterval(
          () => {
            observe(controller);
            if (waitingSince === undefined || Date.now() - waitingSince < stallMs) return;
            finish();
            try {
              controller.error(new Error(`the client read nothing for ${Math.round(stallMs / 1000)} s`));
            } catch {
              // already closed
            }
          },
          Math.max(10, Math.min(stallMs / 4, 5_000)),
        );
        watch.unref?.();
      },
      async pull(controller) {
        try {
          const next = await iterator.next();
          if (next.done) {
            close(controller);
            return;
          }
          if (gone.signal.aborted) return;
          const { event, data, id } = next.value;
          const idLine = id === undefined ? '' : `id: ${String(id).replace(/[\r\n]/g, '')}\n`;
          send(controller, `${idLine}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        } catch (err) {
          (opts.log ?? console.error)(
            `[sse] the event source failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
          );
          send(controller, `event: error\ndata: ${JSON.stringify({ message: SSE_INTERNAL_ERROR })}\n\n`);
          close(controller);
        }
      },
      cancel: finish,
    },
    { highWaterMark: queueBytes, size: (chunk) => chunk.byteLength },
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
