import { readdirSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRouteFiles } from '../../../lib/adapters/http-server/app-routes';
import { webRequestListener } from '../../../lib/adapters/http-server/web-listener';
import { createWebServer } from '../../../lib/adapters/http-server/web-server';
import { allowList, apiMethodChecker } from '../../../lib/domain/http/allowed-methods';
import { compileTemplates, templateFromAppFile } from '../../../lib/domain/http/route-label';
import { rawRequest } from '../../e2e/support/raw-http';

/**
 * Every /api route answers a method it does not export with 405 and an Allow header listing the ones it
 * does: the real web server (listener + server as server.ts builds them) in front of a stand-in app, for
 * every route.ts under app/api, whose exports are read by importing the module itself.
 */
const APP_DIR = path.resolve(import.meta.dirname, '../../../app');
const NEXT_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH'];
/** Methods Next.js has no export for: TRACE (500 before), CONNECT (socket dropped), WebDAV, one no parser knows. */
const OTHER_METHODS = ['TRACE', 'CONNECT', 'PROPFIND', 'QUERY', 'BREW'];

function routeModules(dir = path.join(APP_DIR, 'api')): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return entry.startsWith('_') ? [] : routeModules(full);
    return entry === 'route.ts' ? [full] : [];
  });
}

/** A concrete path for a template: parameters and rests as `x`. */
const concrete = (template: string) => template.replace(/:\w+/g, 'x').replace(/\*$/, 'x');

let server: Server;
let port: number;
const routes = apiRouteFiles(APP_DIR);

beforeAll(async () => {
  const refuseMethod = apiMethodChecker(routes);
  const listener = webRequestListener({
    // The stand-in app: whatever reaches it says so.
    handle: (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('reached the app'),
    templates: compileTemplates(routes.map((r) => r.template)),
    clientIpHeader: 'x-keelson-client-ip',
    refuseMethod,
  });
  server = createWebServer(listener, undefined, refuseMethod);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('methods an /api route does not export', () => {
  it('are read from the source as the module really exports them, for every route.ts', async () => {
    const files = routeModules();
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) {
      const mod = (await import(file)) as Record<string, unknown>;
      const real = NEXT_METHODS.filter((m) => typeof mod[m] === 'function').sort();
      const template = templateFromAppFile(`/${path.relative(APP_DIR, file)}`);
      const read = routes.find((r) => r.template === template);
      expect({ template, methods: [...(read?.exported ?? [])].sort() }).toEqual({ template, methods: real });
    }
  });

  it('get 405 with the route’s Allow (TRACE, CONNECT and unknown methods too); its own methods reach the app', async () => {
    const checked: string[] = [];
    for (const route of routes.filter((r) => r.template !== '/api/*')) {
      const allow = allowList(route.exported);
      const target = `${concrete(route.template)}?q=1`;
      for (const method of [...NEXT_METHODS, ...OTHER_METHODS]) {
        const answer = await rawRequest(port, method, target);
        const where = `${method} ${target}`;
        if (allow.includes(method)) {
          expect(answer.status, where).toBe(200);
          continue;
        }
        expect({ where, status: answer.status, allow: answer.headers.allow }).toEqual({
          where,
          status: 405,
          allow: allow.join(', '),
        });
        // A HEAD answer has no body.
        if (method !== 'HEAD')
          expect(JSON.parse(answer.body).error, where).toMatchObject({
            code: 'METHOD_NOT_ALLOWED',
            hint: expect.stringContaining(allow.join(', ')),
          });
        expect(answer.headers['x-content-type-options'], where).toBe('nosniff');
        checked.push(where);
      }
    }
    expect(checked).toContain('TRACE /api/v1/tokens?q=1');
    expect(checked).toContain('BREW /api/v1/repositories?q=1');
    expect(checked).toContain('CONNECT /api/v1/applications/x/sync?q=1');
  });

  it('on a path no route claims answer 404 whatever the method; other parse errors keep Node’s 400', async () => {
    for (const method of ['TRACE', 'CONNECT', 'BREW', 'GET']) {
      const answer = await rawRequest(port, method, '/api/v1/no-such-route');
      // GET reaches the app (the catch-all route's own 404 there); the others are answered by the server.
      if (method === 'GET') expect(answer.body).toContain('reached the app');
      else expect({ method, status: answer.status }).toEqual({ method, status: 404 });
    }
    expect((await rawRequest(port, 'BREW', '/not-api')).status).toBe(400);
    expect((await rawRequest(port, 'GET', '/api/v1/tokens\u0001')).status).toBe(400);
  });

  it('closes a refused CONNECT or unknown-method socket even when the client never ends its side', async () => {
    // A half-open client (no FIN ever) must not keep a server socket and its fd: the socket has left the HTTP
    // server, so none of its timeouts apply; the server answers, lingers and then destroys it.
    const connections = () => new Promise<number>((resolve) => server.getConnections((_e, n) => resolve(n)));
    for (const method of ['CONNECT', 'BREW']) {
      const client = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
      let answer = '';
      client.on('data', (d: Buffer) => (answer += d.toString()));
      client.write(`${method} /api/v1/version HTTP/1.1\r\nHost: x\r\n\r\n`);
      await new Promise((resolve) => client.once('end', resolve));
      let open = await connections();
      for (const end = Date.now() + 4000; open > 0 && Date.now() < end; open = await connections())
        await new Promise((resolve) => setTimeout(resolve, 100));
      client.destroy();
      expect({ method, answer: answer.split('\r\n')[0], serverSockets: open }).toEqual({
        method,
        answer: 'HTTP/1.1 405 Method Not Allowed',
        serverSockets: 0,
      });
    }
  });
});
