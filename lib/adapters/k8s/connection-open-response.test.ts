import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeConnection } from './connection';
import { KubeError } from './errors';

/** A local HTTP server that accepts requests and answers (or not) as the test says. */
async function serve(handler: http.RequestListener) {
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer(handler);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: url, skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  const conn = new KubeConnection(kc, url, new http.Agent({ keepAlive: true }), [], undefined);
  const close = () => {
    conn.close();
    for (const s of sockets) s.destroy();
    return new Promise<void>((r) => server.close(() => r()));
  };
  return { conn, sockets, close };
}

describe('KubeConnection.openResponse', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('gives up with a Timeout KubeError and closes the socket when no response head comes in time', async () => {
    const s = await serve(() => {
      // never answers
    });
    close = s.close;
    const started = Date.now();
    const err = await s.conn.openResponse({ path: '/api/v1/namespaces/a/pods/p/log', timeoutMs: 200 }).catch((e) => e);
    expect(err).toBeInstanceOf(KubeError);
    expect((err as KubeError).reason).toBe('Timeout');
    expect((err as KubeError).message).toMatch(/^timed out: GET \/api\/v1\/namespaces\/a\/pods\/p\/log on http/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    await expect.poll(() => s.sockets.size, { timeout: 2000 }).toBe(0);
  });

  it('does not time out a body that streams for longer than the head timeout', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      let n = 0;
      const tick = setInterval(() => {
        res.write(`line ${++n}\n`);
        if (n === 5) {
          clearInterval(tick);
          res.end();
        }
      }, 100);
    });
    close = s.close;
    const res = await s.conn.openResponse({ path: '/log', timeoutMs: 150 });
    let text = '';
    for await (const chunk of res as AsyncIterable<Buffer>) text += chunk.toString('utf8');
    expect(text).toBe('line 1\nline 2\nline 3\nline 4\nline 5\n');
  });
});
