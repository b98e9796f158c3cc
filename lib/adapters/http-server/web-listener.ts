import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ApiMethodChecker } from '@/lib/domain/http/allowed-methods';
import { bodyLimitFor, carriesCredentials, formatBytes, IN_FLIGHT_BODY_BYTES } from '@/lib/domain/http/body-limits';
import { routeLabel, UNMATCHED, type RouteTemplate } from '@/lib/domain/http/route-label';
import { httpDuration, httpRequests, registry } from '../metrics/registry';
import { BodyBudget, GatedRequest } from './gated-request';

export interface WebListenerOptions {
  /** Next.js's request handler (or any handler in tests). */
  handle: (req: IncomingMessage, res: ServerResponse) => unknown;
  templates: readonly RouteTemplate[];
  /** When set, `/metrics` wants `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** Header the handler reads the caller's address from (set here from the socket, never from the client). */
  clientIpHeader: string;
  /** Bytes of bodies held by all in-flight requests together (default IN_FLIGHT_BODY_BYTES); beyond it, 503. */
  inFlightBodyBytes?: number;
  /** Answers a method an /api route does not export (405 with Allow) before the app sees it. */
  refuseMethod?: ApiMethodChecker;
}

function sameSecret(given: string, expected: string): boolean {
  // Digests have equal length, so the comparison time says nothing about either value.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

async function serveMetrics(req: IncomingMessage, res: ServerResponse, token: string | undefined): Promise<void> {
  if (token !== undefined) {
    const auth = req.headers.authorization ?? '';
    const given = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : '';
    if (!given || !sameSecret(given, token)) {
      json(
        res,
        401,
        {
          error: {
            code: 'UNAUTHENTICATED',
            message: 'The metrics need a bearer token.',
            hint: 'Send `Authorization: Bearer <KEELSON_METRICS_TOKEN>` (set bearer_token in the Prometheus scrape config).',
          },
        },
        { 'www-authenticate': 'Bearer realm="keelson-metrics"' },
      );
      return;
    }
  }
  const text = await registry.metrics();
  res.writeHead(200, { 'content-type': registry.contentType }).end(text);
}

/** How long a refused upload may keep sending (discarded) after its 413, so the client reads the answer. */
const LINGER_MS = 2000;

/**
 * Closing a socket with unread input makes the kernel send a reset, and a client still uploading
 * then loses the 413 it was sent (it sees EPIPE or ECONNRESET instead). So, as nginx's lingering
 * close does: after the response, end our side, keep reading (and dropping) for a moment, then close.
 */
function lingerAfterResponse(socket: Socket): void {
  socket.destroySoon = () => {
    socket.end();
    socket.resume();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  };
}

function refuseBody(
  res: ServerResponse,
  socket: Socket,
  status: number,
  error: { code: string; message: string; hint: string },
  headers: Record<string, string> = {},
): void {
  lingerAfterResponse(socket);
  json(res, status, { error }, { connection: 'close', ...headers });
}

function tooLargeMessage(limitClass: string, maxBytes: number, anonymousCap: boolean): string {
  const what = anonymousCap
    ? `for a request without credentials to ${limitClass} routes`
    : limitClass === 'default'
      ? 'this route'
      : `${limitClass} routes`;
  return `The request body is larger than ${formatBytes(maxBytes)}, the limit for ${what}; nothing was processed.`;
}

/**
 * The web server's request listener: records the caller's address, measures every request under its
 * route template, holds each body until it has arrived within its route class's cap (413 and the
 * connection closed the moment it crosses it; the app never sees it), serves `/metrics`, and hands
 * everything else to the app. A request without credentials holds at most 1 MB whatever its route
 * (webhooks excepted), and all requests together hold at most the in-flight budget (503 beyond it).
 */
export function webRequestListener(options: WebListenerOptions) {
  const budget = new BodyBudget(options.inFlightBodyBytes ?? IN_FLIGHT_BODY_BYTES);
  return (req: IncomingMessage, res: ServerResponse): void => {
    req.headers[options.clientIpHeader] = req.socket.remoteAddress ?? 'unknown';
    const started = process.hrtime.bigint();
    const url = req.url ?? '/';
    res.on('finish', () => {
      // A 404 is unmatched whatever its path; everything else is labelled by its template.
      const route = res.statusCode === 404 ? UNMATCHED : routeLabel(url, options.templates);
      const labels = { method: req.method ?? 'GET', route, status: String(res.statusCode) };
      httpRequests.inc(labels);
      httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    const refused = options.refuseMethod?.(req.method ?? 'GET', url);
    if (refused) {
      // The body (if any) is not read: close the connection after the answer, as for a refused upload.
      lingerAfterResponse(req.socket);
      res.writeHead(refused.status, { ...refused.headers, connection: 'close' }).end(refused.body);
      return;
    }
    const credentialed = carriesCredentials(req.headers.authorization, req.headers.cookie);
    const { limitClass, maxBytes, anonymousCap } = bodyLimitFor(url, credentialed);
    const gate = req instanceof GatedRequest ? req.holdBody(maxBytes, budget) : Promise.resolve('complete' as const);
    if (req instanceof GatedRequest) res.on('close', () => req.releaseBudget());
    gate
      .then(async (verdict) => {
        if (verdict === 'too-large') {
          const hint = anonymousCap
            ? 'Log in or send `Authorization: Bearer <token>`: larger bodies are accepted only with credentials.'
            : 'Send a smaller body (split large files into several applies).';
          return refuseBody(res, req.socket, 413, {
            code: 'PAYLOAD_TOO_LARGE',
            message: tooLargeMessage(limitClass, maxBytes, anonymousCap),
            hint,
          });
        }
        if (verdict === 'busy') {
          const message = 'The server is receiving too many request bodies at once; nothing was processed.';
          return refuseBody(
            res,
            req.socket,
            503,
            { code: 'UNAVAILABLE', message, hint: 'Try again in a few seconds.' },
            { 'retry-after': '5' },
          );
        }
        if (url.split('?')[0] === '/metrics' && req.method === 'GET')
          return serveMetrics(req, res, options.metricsToken);
        await options.handle(req, res);
      })
      .catch((err: unknown) => {
        console.error('[web] request failed', err);
        if (!res.headersSent)
          json(res, 500, { error: { code: 'INTERNAL', message: 'Internal error; the server log has the details.' } });
        else res.destroy();
      });
  };
}
