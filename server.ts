import { createServer } from 'node:http';
import next from 'next';
import { httpDuration, httpRequests, registerQueueDepth, registry } from '@/lib/adapters/metrics/registry';
import { queueDepth } from '@/lib/adapters/queue/boss';
import { routeLabel } from '@/lib/domain/http/route-label';
import { env, EnvError } from '@/lib/env';
import { CLIENT_IP_HEADER } from '@/lib/server/auth/client-ip';
import { queue } from '@/lib/server/context';

/**
 * The web process: Next.js behind a thin Node HTTP server that measures every request,
 * serves /metrics, and records the caller's address for rate limiting.
 */
async function main() {
  const e = env();
  const dev = process.argv.includes('--dev');
  const app = next({ dev, hostname: e.HOSTNAME, port: e.PORT, dir: import.meta.dirname });
  const handle = app.getRequestHandler();
  await app.prepare();
  registerQueueDepth(async () => queueDepth(await queue()));

  const server = createServer((req, res) => {
    req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? 'unknown';
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // Unmatched paths would otherwise mint a label per typo.
      const route = res.statusCode === 404 ? 'unmatched' : routeLabel(req.url ?? '/');
      const labels = { method: req.method ?? 'GET', route, status: String(res.statusCode) };
      httpRequests.inc(labels);
      httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    if (req.url === '/metrics' && req.method === 'GET') {
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (err: Error) => res.writeHead(500).end(err.message),
      );
      return;
    }
    void handle(req, res);
  });
  server.listen(e.PORT, e.HOSTNAME, () => console.log(`[web] listening on ${e.HOSTNAME}:${e.PORT}`));

  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
});
