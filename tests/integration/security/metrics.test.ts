import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appRouteTemplates } from '../../../lib/adapters/http-server/app-routes';
import { GatedRequest } from '../../../lib/adapters/http-server/gated-request';
import { webRequestListener } from '../../../lib/adapters/http-server/web-listener';
import { compileTemplates } from '../../../lib/domain/http/route-label';

/**
 * Hole 12: /metrics needed no login and labelled series by raw path. The web server's listener runs
 * here on real sockets with the route templates of the real app/ folder; the app behind it answers as
 * Keelson does without a session: API paths 401, pages a redirect to /login, unknown files 404.
 */
const TOKEN = 'metrics-scrape-token-0123456789';
const servers: Server[] = [];
let open = '';
let guarded = '';

function app(req: IncomingMessage, res: ServerResponse) {
  const url = req.url ?? '/';
  if (url.startsWith('/api/')) res.writeHead(401).end();
  else if (url.includes('.')) res.writeHead(404).end();
  else res.writeHead(307, { location: '/login' }).end();
}

async function start(metricsToken?: string): Promise<string> {
  const templates = compileTemplates(appRouteTemplates(path.resolve(import.meta.dirname, '../../../app')));
  const server = createServer(
    { IncomingMessage: GatedRequest },
    webRequestListener({ handle: app, templates, metricsToken, clientIpHeader: 'x-keelson-client-ip' }),
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  open = await start();
  guarded = await start(TOKEN);
});
afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

async function seriesCount(): Promise<number> {
  const text = await (await fetch(`${open}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith('keelson_http_requests_total{')).length;
}

it('adds no series per path: 1,000 distinct unauthenticated paths (404s, redirects, 401s) add a handful', async () => {
  const before = await seriesCount();
  for (let i = 0; i < 1000; i++) {
    const target = [`/no-such-${i}.php`, `/probe-${i}`, `/api/v1/pipelines/p-${i}`, `/api/x${i}/y`][i % 4];
    (await fetch(`${open}${target}`, { redirect: 'manual' })).body?.cancel();
  }
  const added = (await seriesCount()) - before;
  expect(added).toBeLessThanOrEqual(6);
  const text = await (await fetch(`${open}/metrics`)).text();
  expect(text).toContain('route="/api/v1/pipelines/:name"');
  expect(text).toContain('route="unmatched"');
  expect(text).not.toMatch(/route="[^"]*(p-17|probe-5|no-such)/);
});

it('wants KEELSON_METRICS_TOKEN as a bearer token when it is set', async () => {
  const none = await fetch(`${guarded}/metrics`);
  expect(none.status).toBe(401);
  expect(none.headers.get('www-authenticate')).toContain('Bearer');
  expect((await fetch(`${guarded}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
  expect((await fetch(`${guarded}/metrics`, { headers: { authorization: TOKEN } })).status).toBe(401);
  const ok = await fetch(`${guarded}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(ok.status).toBe(200);
  expect(await ok.text()).toContain('keelson_http_requests_total');
});

it('leaves /metrics open when no token is set (a scraper on a trusted network)', async () => {
  expect((await fetch(`${open}/metrics`)).status).toBe(200);
});
