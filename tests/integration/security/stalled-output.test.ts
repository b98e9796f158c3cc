import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webRequestListener } from '../../../lib/adapters/http-server/web-listener';
import { createWebServer, WEB_TIMEOUTS } from '../../../lib/adapters/http-server/web-server';
import { compileTemplates } from '../../../lib/domain/http/route-label';

/**
 * Security review: a log stream cut after 60 s unread (sse-response.ts) still left its connection open, because the
 * pipe into the response waits for the client to drain it; stalled connections could pile up, each holding a chunk
 * and kernel buffers. The web server now destroys a response whose unsent output has not moved for
 * `stalledOutputMs` (here 500 ms, checked every 100 ms). The real server and listener run here, with raw sockets.
 */
const STALL_MS = 500;
const CHUNK = Buffer.alloc(64 * 1024, 'x');

/** The server's side of each request, by path: when its response closed, and whether it had finished. */
const served: { path: string; res: ServerResponse; closedAt?: number }[] = [];

function app(req: IncomingMessage, res: ServerResponse) {
  const entry: (typeof served)[number] = { path: req.url ?? '', res };
  served.push(entry);
  res.on('close', () => (entry.closedAt = Date.now()));
  if (req.url === '/small') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  if (req.url === '/quiet') {
    // A log stream with nothing to say for four stall periods, then an event and the end.
    res.write(': hello\n\n');
    setTimeout(() => res.end('event: end\ndata: {}\n\n'), STALL_MS * 4);
    return;
  }
  // /flood: as much as the client takes, as a piped stream writes it (waiting for drain).
  const pump = () => {
    while (!res.destroyed && res.write(CHUNK));
    if (!res.destroyed) res.once('drain', pump);
  };
  pump();
}

const servers: Server[] = [];
let log: string[] = [];

/** The real server and listener, cutting output stalled for `stallMs` (checked every 100 ms); its port. */
async function start(stallMs: number): Promise<number> {
  const server = createWebServer(
    webRequestListener({ handle: app, templates: compileTemplates([]), clientIpHeader: 'x-keelson-client-ip' }),
    { ...WEB_TIMEOUTS, keepAliveMs: 30_000, stalledOutputMs: stallMs, stalledCheckMs: 100 },
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

let port: number;
beforeAll(async () => {
  port = await start(STALL_MS);
  // The cut's log line goes to console.warn; captured for the assertion.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void log.push(args.join(' '));
  afterAll(() => void (console.warn = warn));
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** A raw connection that has sent `GET path`; reads nothing until told. */
async function rawGet(path: string, to = port): Promise<Socket> {
  const socket = connect(to, '127.0.0.1');
  socket.pause();
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(`GET ${path} HTTP/1.1\r\nhost: localhost\r\nconnection: keep-alive\r\n\r\n`);
  return socket;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const entryFor = async (path: string) => {
  for (let i = 0; i < 100 && !served.some((s) => s.path === path && s.closedAt === undefined); i++) await sleep(10);
  return served.filter((s) => s.path === path).at(-1)!;
};

describe('a response whose client stopped reading', () => {
  it('is destroyed with its connection once its unsent output has not moved for stalledOutputMs', async () => {
    log = [];
    const client = await rawGet('/flood');
    const entry = await entryFor('/flood');
    const opened = Date.now();
    for (let i = 0; i < 100 && entry.closedAt === undefined; i++) await sleep(50);
    expect(entry.closedAt, 'the server kept the stalled response open').toBeDefined();
    expect(entry.closedAt! - opened).toBeGreaterThanOrEqual(STALL_MS);
    expect(entry.res.writableFinished).toBe(false);
    expect(entry.res.socket === null || entry.res.socket.destroyed).toBe(true);
    expect(log.join('\n')).toMatch(/\[web\] cut 127\.0\.0\.1: \d+ bytes of a response unsent for \d+ s/);
    // The client, reading at last, gets what the kernel held and then the end of the connection.
    let received = 0;
    client.on('data', (d: Buffer) => (received += d.length));
    client.resume();
    await new Promise<void>((resolve) => client.once('close', () => resolve()));
    expect(received).toBeGreaterThan(0);
  });

  it('is kept while its client reads, however slowly', { timeout: 20_000 }, async () => {
    // Loopback has megabytes of socket buffers, and the kernel hands the server's side more room only in steps of
    // about half its send buffer (here ~1.5 MB): this server allows 2.5 s without progress, and the client reads
    // ~2.5 MB/s for 6 s (the server would write as fast as it could).
    const stall = 2500;
    const client = await rawGet('/flood', await start(stall));
    const entry = await entryFor('/flood');
    let received = 0;
    client.on('data', (d: Buffer) => {
      received += d.length;
      client.pause();
    });
    // One read (at most 64 KiB) every 25 ms, for more than two stall periods.
    const samples: number[] = [];
    for (let i = 0; i < 6000 / 25; i++) {
      client.resume();
      await sleep(25);
      samples.push(received);
    }
    expect(entry.closedAt, 'a slow reader was cut').toBeUndefined();
    expect(client.destroyed).toBe(false);
    // It kept flowing through the whole time, not only at the start.
    expect(samples.at(-1)! - samples[samples.length / 2]).toBeGreaterThan(0);
    client.destroy();
  });

  it('leaves a quiet stream (nothing unsent) and an idle keep-alive connection alone', async () => {
    const quiet = await rawGet('/quiet');
    let text = '';
    quiet.setEncoding('utf8').on('data', (d: string) => (text += d));
    quiet.resume();
    const idle = await rawGet('/small');
    idle.resume();
    await sleep(STALL_MS * 4 + 300);
    expect(text).toMatch(/event: end\ndata: \{\}\n\n/);
    expect(quiet.destroyed).toBe(false);
    // The keep-alive connection answered /small and then sat idle for four stall periods: still usable.
    let again = '';
    idle.setEncoding('utf8').on('data', (d: string) => (again += d));
    idle.write('GET /small HTTP/1.1\r\nhost: localhost\r\n\r\n');
    for (let i = 0; i < 50 && !again.endsWith('0\r\n\r\n'); i++) await sleep(20);
    expect(again).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\nok\r\n0\r\n\r\n$/);
    quiet.destroy();
    idle.destroy();
  });
});
