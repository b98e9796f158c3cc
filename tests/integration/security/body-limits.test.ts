import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readTextBody } from '../../../app/api/_lib/read-text-body';
import { GatedRequest } from '../../../lib/adapters/http-server/gated-request';
import { webRequestListener } from '../../../lib/adapters/http-server/web-listener';
import { BODY_LIMITS } from '../../../lib/domain/http/body-limits';
import { compileTemplates } from '../../../lib/domain/http/route-label';
import { AppError } from '../../../lib/errors';
import { postDeclaredLength, recordingApp, sendChunked as send } from '../support/send-chunked';

/**
 * Hole 10: bodies were buffered before the cap when no Content-Length was sent. The web server's own
 * listener (what server.ts runs in front of Next) is started here on a real socket; the app behind it
 * records what reached it, as Next's body parsing (next-auth's form parsing included) would.
 */
const reached: { url: string; bytes: number }[] = [];
let server: Server;
let base: { host: string; port: number };

const app = recordingApp(reached);

beforeAll(async () => {
  server = createServer(
    { IncomingMessage: GatedRequest },
    webRequestListener({ handle: app, templates: compileTemplates([]), clientIpHeader: 'x-keelson-client-ip' }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const sendChunked = (path: string, total: number, headers: Record<string, string> = {}) =>
  send(`http://${base.host}:${base.port}${path}`, total, headers);

it('answers 413 to a chunked 50 MB webhook body as soon as it crosses the cap, and the app never sees it', async () => {
  const before = process.memoryUsage();
  const res = await sendChunked('/api/webhooks/triggers/on-push', 50 * 1024 * 1024, { 'x-github-event': 'push' });
  expect(res.status).toBe(413);
  expect(JSON.parse(res.body)).toMatchObject({
    error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('5 MB') },
  });
  expect(res.sentBytes).toBeLessThan(20 * 1024 * 1024);
  expect(res.ms).toBeLessThan(5000);
  expect(reached.filter((r) => r.url.startsWith('/api/webhooks'))).toEqual([]);
  expect(process.memoryUsage().arrayBuffers - before.arrayBuffers).toBeLessThan(20 * 1024 * 1024);
});

it('caps next-auth form posts at 64 KB while streaming (the credentials callback, and an encoded variant of it)', async () => {
  for (const path of ['/api/auth/callback/credentials', '/api/auth/callback/credential%73']) {
    const res = await sendChunked(path, 50 * 1024 * 1024, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(413);
    expect(res.sentBytes).toBeLessThan(20 * 1024 * 1024);
  }
  expect(reached.filter((r) => r.url.startsWith('/api/auth'))).toEqual([]);
});

it('refuses a declared Content-Length over the cap before reading any of it', async () => {
  expect(await postDeclaredLength(`http://${base.host}:${base.port}/api/auth/signin`, BODY_LIMITS.auth + 1)).toBe(413);
});

it('passes a chunked body under the cap to the app intact, with the class caps of each route', async () => {
  const ok = await sendChunked('/api/v1/apply', 6 * 1024 * 1024, { authorization: 'Bearer kls_x' });
  expect(ok.status).toBe(200);
  expect(JSON.parse(ok.body)).toEqual({ bytes: 6 * 1024 * 1024 });
  // Any other route, pages and server actions included, has the default cap.
  expect((await sendChunked('/pipelines', 2 * 1024 * 1024)).status).toBe(413);
  expect((await sendChunked('/api/v1/clusters', 512 * 1024)).status).toBe(200);
});

it('reads a route body with the cap while streaming: an endless chunked body is cut off at the cap', async () => {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += 64 * 1024;
      controller.enqueue(new Uint8Array(64 * 1024));
      if (pulled >= 50 * 1024 * 1024) controller.close();
    },
  });
  const req = new Request('http://localhost/api/webhooks/git', { method: 'POST', body, duplex: 'half' } as RequestInit);
  const err = await readTextBody(req, 1024 * 1024).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).status).toBe(413);
  expect(pulled).toBeLessThan(2 * 1024 * 1024);
});
