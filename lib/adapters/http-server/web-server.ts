import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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
  cutStalledOutput(server, {
    stalledMs: timeouts.stalledOutputMs ?? STALLED_OUTPUT_MS,
    checkEveryMs: timeouts.stalledCheckMs ?? STALLED_CHECK_MS,
  });
  return server;
}
