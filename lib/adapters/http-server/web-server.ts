import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { rawResponse, requestLine, type ApiMethodChecker } from '@/lib/domain/http/allowed-methods';
import { GatedRequest } from './gated-request';
import { cutStalledOutput } from './stalled-output';

export interface WebTimeouts {
  /** The whole request head must arrive within this (slowloris). */
  headersMs: number;
  /** The whole request, body included, must arrive within this; responses (log streams) are not limited. */
  requestMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: number;
  /** How often Node checks the two above. */
  checkEveryMs: number;
  /** A response whose client has read none of its unsent output for this long is destroyed (default 60 s). */
  stalledOutputMs?: number;
  /** How often responses are checked for that (default 5 s). */
  stalledCheckMs?: number;
}

const STALLED_OUTPUT_MS = 60_000;
const STALLED_CHECK_MS = 5_000;

/** 10 MB (the largest body) at ~100 KB/s fits in requestMs; a request head never needs more than seconds. */
export const WEB_TIMEOUTS: WebTimeouts = {
  headersMs: 20_000,
  requestMs: 120_000,
  keepAliveMs: 5_000,
  checkEveryMs: 2_000,
  stalledOutputMs: STALLED_OUTPUT_MS,
  stalledCheckMs: STALLED_CHECK_MS,
};

/**
 * The web process's HTTP server: bodies held by GatedRequest, a client that sends slowly is cut off (408), and one
 * that stops reading a response is cut off once its unsent output has not moved for `stalledOutputMs`.
 */
export function createWebServer(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
  timeouts: WebTimeouts = WEB_TIMEOUTS,
  refuseMethod?: ApiMethodChecker,
): Server {
  const server = createServer(
    {
      IncomingMessage: GatedRequest,
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: timeouts.checkEveryMs,
    },
    listener,
  );
  server.keepAliveTimeout = timeouts.keepAliveMs;
  if (refuseMethod) answerUnlistenedMethods(server, refuseMethod);
  cutStalledOutput(server, {
    stalledMs: timeouts.stalledOutputMs ?? STALLED_OUTPUT_MS,
    checkEveryMs: timeouts.stalledCheckMs ?? STALLED_CHECK_MS,
  });
  return server;
}

/** What Node answers a request its parser refused (its own default, kept for every other error). */
function defaultClientErrorResponse(code: string | undefined): string {
  const status =
    code === 'HPE_HEADER_OVERFLOW'
      ? '431 Request Header Fields Too Large'
      : code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW'
        ? '413 Payload Too Large'
        : code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? '408 Request Timeout'
          : '400 Bad Request';
  return `HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`;
}

/**
 * Two kinds of request never reach the listener: CONNECT (Node emits 'connect' and, unanswered, drops the
 * socket) and a method Node's parser does not know (`BREW /api/v1/tokens`, a 400 'clientError'). Under /api
 * both get the listener's answer, 405 with the route's Allow.
 */
function answerUnlistenedMethods(server: Server, refuseMethod: ApiMethodChecker): void {
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    const refused = refuseMethod('CONNECT', req.url ?? '');
    socket.on('error', () => socket.destroy());
    answerAndClose(socket, refused ? rawResponse(refused) : defaultClientErrorResponse(undefined));
  });
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    const line = err.code === 'HPE_INVALID_METHOD' ? requestLine(err.rawPacket?.toString('latin1') ?? '') : undefined;
    const refused = line && refuseMethod(line.method, line.url);
    if (refused && socket.writable) {
      answerAndClose(socket, rawResponse(refused));
      return;
    }
    // Node's own handling without a listener: answer unless a response has begun on the socket, then destroy.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) socket.write(defaultClientErrorResponse(err.code));
    socket.destroy(err);
  });
}

/** How long a refused socket may keep sending (discarded) after its answer, so the client reads the answer. */
const LINGER_MS = 2000;

/**
 * A socket answered here has left the HTTP server, so none of its timeouts apply, and the server is allowHalfOpen:
 * ending our side alone would keep the socket (and its fd) for as long as the client never ends its own. So: answer,
 * read and drop whatever still comes for a moment (a close with unread input would reset away the answer), then destroy.
 */
function answerAndClose(socket: Duplex, response: string): void {
  socket.end(response);
  socket.resume();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
