import type { Server, ServerResponse } from 'node:http';

export interface StalledOutputOptions {
  /** A response whose unsent output has not moved for this long is destroyed with its connection. */
  stalledMs: number;
  /** How often the responses are looked at. */
  checkEveryMs: number;
  /** Where a cut is logged (default console.warn). */
  log?: (line: string) => void;
}

interface Progress {
  /** Bytes of the connection handed to the kernel when last looked at. */
  sent: number;
  /** When `sent` last moved, or output was last seen all sent. */
  since: number;
}

/**
 * Cuts connections whose client has stopped reading. Node keeps a response (and whatever Next still has to pipe
 * into it) for as long as its client keeps the socket open without reading, even once the stream behind it has given
 * up (sse-response.ts cuts a log stream after 60 s unread, but the pipe still waits for `drain`). So every
 * `checkEveryMs` each open response is looked at: one with output waiting (`res.writableLength > 0`) while the bytes
 * the connection has handed to the kernel stay the same for `stalledMs` is destroyed, with its socket. A stream
 * that flows (however slowly), one with nothing to send (a quiet log stream), and idle keep-alive sockets (no response
 * open) are never touched. The timer runs only while responses are open.
 */
export function cutStalledOutput(server: Server, options: StalledOutputOptions): void {
  const open = new Map<ServerResponse, Progress>();
  let timer: ReturnType<typeof setInterval> | undefined;
  const check = () => {
    const now = Date.now();
    for (const [res, progress] of open) {
      const socket = res.socket;
      if (!socket || socket.destroyed) continue;
      // bytesWritten counts what is still queued in the socket too; less that, it is what the kernel has taken.
      const sent = socket.bytesWritten - socket.writableLength;
      if (res.writableLength === 0 || sent !== progress.sent) {
        open.set(res, { sent, since: now });
        continue;
      }
      if (now - progress.since < options.stalledMs) continue;
      open.delete(res);
      (options.log ?? console.warn)(
        `[web] cut ${socket.remoteAddress ?? 'a client'}: ${res.writableLength} bytes of a response unsent for ` +
          `${Math.round(options.stalledMs / 1000)} s (the client stopped reading)`,
      );
      res.destroy();
      socket.destroy();
    }
  };
  server.on('request', (_req, res: ServerResponse) => {
    open.set(res, { sent: -1, since: Date.now() });
    res.once('close', () => {
      open.delete(res);
      if (open.size === 0) {
        clearInterval(timer);
        timer = undefined;
      }
    });
    if (!timer) {
      timer = setInterval(check, options.checkEveryMs);
      timer.unref();
    }
  });
}
