import { readdirSync, statSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { NextRequest } from 'next/server';
import { appRouteTemplates } from '../../../lib/adapters/http-server/app-routes';
import { webRequestListener } from '../../../lib/adapters/http-server/web-listener';
import { createWebServer } from '../../../lib/adapters/http-server/web-server';
import { compileTemplates } from '../../../lib/domain/http/route-label';
import { CLIENT_IP_HEADER } from '../../../lib/server/auth/client-ip';
import { APP_URL } from './web-support';

/**
 * The web process as server.ts runs it, minus Next's renderer: the real listener (body caps, client address,
 * metrics) on a real socket, and behind it each /api request goes to the route module Next would pick
 * (app/api/…/route.ts, `[name]` segments as params), as a NextRequest. API routes have no page or proxy
 * step in between (proxy.ts's matcher leaves /api alone), so every authorization decision made for an API
 * request is made here exactly as in production.
 */
const APP_DIR = path.resolve(import.meta.dirname, '../../../app');

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
interface RouteFile {
  pattern: RegExp;
  keys: string[];
  file: string;
}

function routeFiles(dir = path.join(APP_DIR, 'api')): RouteFile[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return entry.startsWith('_') ? [] : routeFiles(full);
    if (entry !== 'route.ts') return [];
    const rel = path.relative(APP_DIR, dir).split(path.sep);
    const keys: string[] = [];
    const source = rel
      .map((seg) => {
        const catchAll = /^\[\.\.\.(\w+)\]$/.exec(seg);
        if (catchAll) return keys.push(catchAll[1]) && '(.+)';
        const param = /^\[(\w+)\]$/.exec(seg);
        if (param) return keys.push(param[1]) && '([^/]+)';
        return seg.replace(/[.]/g, '\\.');
      })
      .join('/');
    return [{ pattern: new RegExp(`^/${source}$`), keys, file: full }];
  });
}

/** Static routes before dynamic ones, catch-alls last, as Next matches them. */
const byPrecedence = (a: RouteFile, b: RouteFile) =>
  a.pattern.source.includes('(.+)') !== b.pattern.source.includes('(.+)')
    ? a.pattern.source.includes('(.+)')
      ? 1
      : -1
    : a.keys.length - b.keys.length;

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? Buffer.concat(chunks) : undefined;
}

function dispatcher(files: RouteFile[]) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', APP_URL);
    const match = files
      .map((f) => ({ f, m: f.pattern.exec(url.pathname) }))
      .find((x): x is { f: RouteFile; m: RegExpExecArray } => x.m !== null);
    const mod = match ? ((await import(match.f.file)) as Record<string, Handler | undefined>) : undefined;
    const handler = mod?.[req.method ?? 'GET'];
    if (!match || !handler) {
      res.writeHead(match ? 405 : 404).end();
      return;
    }
    const params = Object.fromEntries(match.f.keys.map((k, i) => [k, decodeURIComponent(match.m[i + 1])]));
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const body = await readBody(req);
    const answer = await handler(
      new NextRequest(url, { method: req.method, headers, body: body && new Uint8Array(body) }),
      {
        params: Promise.resolve(params),
      },
    );
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    if (!answer.body) {
      res.end();
      return;
    }
    // Streams (log tails) flow as they come; the client may leave at any time.
    const stream = Readable.fromWeb(answer.body as NodeReadableStream<Uint8Array>);
    res.on('close', () => stream.destroy());
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  };
}

export interface MatrixServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the web server on 127.0.0.1 (an ephemeral port). The web context must be installed first. */
export async function startMatrixServer(): Promise<MatrixServer> {
  const files = routeFiles().sort(byPrecedence);
  const server: Server = createWebServer(
    webRequestListener({
      handle: dispatcher(files),
      templates: compileTemplates(appRouteTemplates(APP_DIR)),
      clientIpHeader: CLIENT_IP_HEADER,
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
