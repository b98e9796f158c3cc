import { request, type ClientRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webRequestListener } from '../../../lib/adapters/http-server/web-listener';
import { createWebServer, WEB_TIMEOUTS } from '../../../lib/adapters/http-server/web-server';
import { ANONYMOUS_MAX_BYTES, IN_FLIGHT_BODY_BYTES, MIB } from '../../../lib/domain/http/body-limits';
import { compileTemplates } from '../../../lib/domain/http/route-label';
import { postDeclaredLength, recordingApp, sendChunked } from '../support/send-chunked';

/**
 * The web server held up to 10 MB (`/api/v1/apply`) or 5 MB (webhooks) of body for any anonymous request
 * before a route checked anything, with no bound on how many at once, and Node's default timeouts let a
 * slow client keep its connection (and what it sent) for minutes. The real listener and server run here.
 */
const reached: { url: string; bytes: number }[] = [];
const app = recordingApp(reached);

async function start(options: { inFlightBodyBytes?: number; timeouts?: typeof WEB_TIMEOUTS } = {}) {
  const server = createWebServer(
    webRequestListener({
      handle: app,
      templates: compileTemplates([]),
      clientIpHeader: 'x-keelson-client-ip',
      inFlightBodyBytes: options.inFlightBodyBytes,
    }),
    options.timeouts,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
const stop = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

describe('bodies over 1 MB only with credentials', () => {
  let s: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    s = await start();
  });
  afterAll(() => stop(s.server));

  it('an anonymous chunked 8 MB apply is refused at 1 MB, and the app never sees it', async () => {
    const res = await sendChunked(`${s.url}/api/v1/apply`, 8 * MIB);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.message).toContain('1 MB');
    expect(JSON.parse(res.body).error.hint).toContain('Bearer');
    // Answered before the body ended (a server that read it all would let all 8 MiB through). The bytes in
    // flight past 1 MB are the kernel's socket buffers: ~3 MiB on an idle loopback, more on a loaded machine.
    expect(res.sentBytes).toBeLessThan(8 * MIB);
    expect(reached.filter((r) => r.url === '/api/v1/apply')).toEqual([]);
  });

  it('a declared Content-Length over 1 MB without credentials is refused before any of it is read', async () => {
    expect(await postDeclaredLength(`${s.url}/api/v1/apply`, ANONYMOUS_MAX_BYTES + 1)).toBe(413);
  });

  it('with a bearer token or a session cookie the apply cap is 10 MB again', async () => {
    for (const headers of [
      { authorization: 'Bearer kls_something' },
      { cookie: 'theme=dark; next-auth.session-token=eyJ' },
      { cookie: '__Secure-next-auth.session-token.0=eyJ' },
    ] as Record<string, string>[]) {
      const res = await sendChunked(`${s.url}/api/v1/apply`, 6 * MIB, headers);
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ bytes: 6 * MIB });
    }
  });

  it('webhooks stay anonymous with their 5 MB cap', async () => {
    const res = await sendChunked(`${s.url}/api/webhooks/triggers/x`, 4 * MIB);
    expect(res.status).toBe(200);
  });
});

/** Opens a chunked upload, sends `bytes`, and keeps the request open until told to finish. */
function stalledUpload(url: string, bytes: number): { req: ClientRequest; answer: Promise<number> } {
  const req = request(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } });
  const answer = new Promise<number>((resolve) => {
    req.on('response', (r) => {
      r.resume();
      resolve(r.statusCode ?? 0);
    });
    req.on('error', () => resolve(-1));
  });
  req.write(Buffer.alloc(bytes, 'a'));
  return { req, answer };
}

describe('a global budget bounds the bytes held by all requests together', () => {
  it('uses 64 MB in production', () => expect(IN_FLIGHT_BODY_BYTES).toBe(64 * MIB));

  it('uploads that would hold more than the budget get 503; when they are done the budget is free again', async () => {
    const s = await start({ inFlightBodyBytes: 10 * MIB });
    try {
      const stalled = Array.from({ length: 3 }, () => stalledUpload(`${s.url}/api/webhooks/git`, 4 * MIB));
      const answers = await Promise.race([
        Promise.all(
          stalled.map((u) => Promise.race([u.answer, new Promise<number>((r) => setTimeout(() => r(0), 1500))])),
        ),
        new Promise<number[]>((r) => setTimeout(() => r([]), 3000)),
      ]);
      // Two fit (8 MB), the third crosses 10 MB: refused at once while the others still wait.
      expect(answers.filter((a) => a === 503)).toHaveLength(1);
      expect(answers.filter((a) => a === 0)).toHaveLength(2);
      for (const u of stalled) u.req.end();
      const finished = await Promise.all(stalled.map((u) => u.answer));
      expect(finished.filter((a) => a === 200)).toHaveLength(2);
      // Everything was given back: a full-size webhook fits again.
      expect((await sendChunked(`${s.url}/api/webhooks/git`, 4 * MIB)).status).toBe(200);
      expect((await sendChunked(`${s.url}/api/webhooks/git`, 4 * MIB)).status).toBe(200);
    } finally {
      await stop(s.server);
    }
  });

  it('an aborted upload gives its bytes back', async () => {
    const s = await start({ inFlightBodyBytes: 5 * MIB });
    try {
      const u = stalledUpload(`${s.url}/api/webhooks/git`, 4 * MIB);
      await new Promise((r) => setTimeout(r, 300));
      u.req.destroy();
      await new Promise((r) => setTimeout(r, 300));
      expect((await sendChunked(`${s.url}/api/webhooks/git`, 4 * MIB)).status).toBe(200);
    } finally {
      await stop(s.server);
    }
  });
});

describe('slow clients are cut off', () => {
  it('production timeouts are bounded', () => {
    expect(WEB_TIMEOUTS.headersMs).toBeGreaterThan(0);
    expect(WEB_TIMEOUTS.headersMs).toBeLessThanOrEqual(30_000);
    expect(WEB_TIMEOUTS.requestMs).toBeGreaterThan(WEB_TIMEOUTS.headersMs);
    expect(WEB_TIMEOUTS.requestMs).toBeLessThanOrEqual(300_000);
  });

  it('a request head sent a byte at a time, and a body that trickles, get 408 and the connection closed', async () => {
    const s = await start({ timeouts: { headersMs: 600, requestMs: 1200, keepAliveMs: 1000, checkEveryMs: 100 } });
    const port = Number(new URL(s.url).port);
    const slow = (head: string, trickle: string) =>
      new Promise<{ answer: string; ms: number }>((resolve) => {
        const started = Date.now();
        const socket = connect(port, '127.0.0.1');
        let answer = '';
        socket.on('data', (d) => (answer += d.toString()));
        socket.on('close', () => {
          clearInterval(timer);
          resolve({ answer, ms: Date.now() - started });
        });
        socket.on('error', () => undefined);
        socket.write(head);
        const timer = setInterval(() => socket.writable && socket.write(trickle), 100);
      });
    try {
      const head = await slow('POST /api/webhooks/git HTTP/1.1\r\nHost: x\r\n', 'X-Pad: 1\r\n');
      expect(head.answer).toMatch(/^HTTP\/1\.1 408/);
      expect(head.ms).toBeLessThan(3000);
      const body = await slow('POST /api/webhooks/git HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n', 'a');
      expect(body.answer).toMatch(/^HTTP\/1\.1 408/);
      expect(body.ms).toBeLessThan(4000);
    } finally {
      await stop(s.server);
    }
  });
});
