import path from 'node:path';
import next from 'next';
import { apiRouteFiles, appRouteTemplates } from '@/lib/adapters/http-server/app-routes';
import { webRequestListener } from '@/lib/adapters/http-server/web-listener';
import { createWebServer } from '@/lib/adapters/http-server/web-server';
import { registerQueueDepth } from '@/lib/adapters/metrics/registry';
import { queueDepth } from '@/lib/adapters/queue/boss';
import { apiMethodChecker } from '@/lib/domain/http/allowed-methods';
import { compileTemplates } from '@/lib/domain/http/route-label';
import { bindHost, env, EnvError } from '@/lib/env';
import { CLIENT_IP_HEADER } from '@/lib/server/auth/client-ip';
import { installWebContext } from '@/lib/server/context';
import { createWebContext } from '@/lib/server/create-web-context';

/**
 * The web process: Next.js behind a thin Node HTTP server that caps request bodies while they stream,
 * measures every request by route template, serves /metrics, and records the caller's address.
 */
async function main() {
  const e = env();
  // The web process's composition root: routes, pages and the proxy read this one context (lib/server/context.ts).
  const ctx = createWebContext(e);
  installWebContext(ctx);
  const dev = process.argv.includes('--dev');
  const host = bindHost(e);
  const app = next({ dev, hostname: host, port: e.PORT, dir: import.meta.dirname });
  const handle = app.getRequestHandler();
  await app.prepare();
  registerQueueDepth(async () => queueDepth(await ctx.queue()));

  const appDir = path.join(import.meta.dirname, 'app');
  const templates = compileTemplates(appRouteTemplates(appDir));
  // A method an /api route does not export gets 405 with Allow here (Next.js answered TRACE with 500).
  const refuseMethod = apiMethodChecker(apiRouteFiles(appDir));
  const listener = webRequestListener({
    handle,
    templates,
    metricsToken: e.KEELSON_METRICS_TOKEN,
    clientIpHeader: CLIENT_IP_HEADER,
    refuseMethod,
  });
  const server = createWebServer(listener, undefined, refuseMethod);
  server.listen(e.PORT, host, () => console.log(`[web] listening on ${host}:${e.PORT}`));

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
