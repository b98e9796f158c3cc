/**
 * A small registry front for the image config tests: it counts requests and forwards /v2/ to the test
 * cluster's REAL local registry, optionally behind Bearer (its own token endpoint) or Basic auth, and
 * can serve a multi-platform index, a redirect for blobs, an oversized manifest or no answer at all.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FrontOptions {
  /** 127.0.0.1:<port> of the real registry. */
  registry: string;
  auth?: 'none' | 'bearer' | 'basic';
  /** Credentials the front (or its token endpoint) demands; none: anonymous tokens. */
  user?: { username: string; password: string };
  /** The token realm the Bearer challenge names (default: this front's /token). */
  realm?: string;
  /** Send blob requests to this origin with a 307 (as registries redirect to storage). */
  blobRedirect?: string;
}

export interface FrontRequest {
  method: string;
  path: string;
  authorization?: string;
}

export interface Front {
  origin: string;
  requests: FrontRequest[];
  /** Requests whose path contains `part`. */
  count(part: string): number;
  close(): Promise<void>;
}

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const ACCEPT =
  'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, ' +
  'application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json';

/** Repositories the front makes up: `multi/arch` is python behind an index with arm64 and amd64. */
const ALIASES: Record<string, string> = { 'multi/arch': 'library/python', 'arm/only': 'library/python' };

async function forward(registry: string, path: string, res: ServerResponse): Promise<void> {
  const upstream = await fetch(`http://${registry}${path}`, { headers: { accept: ACCEPT } });
  const body = Buffer.from(await upstream.arrayBuffer());
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'docker-content-digest']) {
    const value = upstream.headers.get(name);
    if (value) headers[name] = value;
  }
  res.writeHead(upstream.status, headers).end(body);
}

async function indexFor(registry: string, repo: string, withAmd64: boolean): Promise<Buffer> {
  const head = await fetch(`http://${registry}/v2/${ALIASES[repo]}/manifests/latest`, { headers: { accept: ACCEPT } });
  const digest = head.headers.get('docker-content-digest') ?? '';
  const size = Number(head.headers.get('content-length') ?? 0);
  const fake = `sha256:${'1'.repeat(64)}`;
  const entry = (d: string, architecture: string, os = 'linux') => ({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: d,
    size,
    platform: { os, architecture },
  });
  const manifests = [entry(fake, 'arm64'), entry(fake, 'unknown', 'unknown')];
  if (withAmd64) manifests.splice(1, 0, entry(digest, 'amd64'));
  return Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }));
}

/** An image whose config sets neither Entrypoint nor Cmd (e.g. a data-only image). */
function serveNoCommand(kind: string, res: ServerResponse): void {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {} }));
  if (kind === 'blobs') return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(config);
  const digest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest, size: config.length },
    layers: [],
  };
  res.writeHead(200, { 'content-type': manifest.mediaType }).end(JSON.stringify(manifest));
}

export async function startFront(options: FrontOptions): Promise<Front> {
  const requests: FrontRequest[] = [];
  const tokens = new Set<string>();
  let origin = '';
  const basicOk = (header: string | undefined) =>
    !options.user ||
    header === `Basic ${Buffer.from(`${options.user.username}:${options.user.password}`).toString('base64')}`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    requests.push({
      method: req.method ?? '',
      path: `${url.pathname}${url.search}`,
      authorization: req.headers.authorization,
    });
    if (url.pathname === '/token') {
      if (!basicOk(req.headers.authorization)) return void res.writeHead(401).end('{"errors":[]}');
      const token = `tok-${tokens.size + 1}-${Math.random().toString(36).slice(2)}`;
      tokens.add(token);
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ token, expires_in: 300 }));
    }
    const m = /^\/v2\/(.+?)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    if (!m) return void res.writeHead(404).end();
    const [, repo, kind, ref] = m;
    const auth = req.headers.authorization;
    if (options.auth === 'bearer' && !(auth?.startsWith('Bearer ') && tokens.has(auth.slice(7)))) {
      const challenge = `Bearer realm="${options.realm ?? `${origin}/token`}",service="keelson-test",scope="repository:${repo}:pull"`;
      return void res.writeHead(401, { 'www-authenticate': challenge }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    }
    if (options.auth === 'basic' && (!auth || !basicOk(auth))) {
      return void res.writeHead(401, { 'www-authenticate': 'Basic realm="keelson-test"' }).end();
    }
    if (repo === 'never/answers') return; // the client's deadline has to end this
    if (repo === 'no/command') return void serveNoCommand(kind, res);
    if (repo === 'huge/image') {
      return void res
        .writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' })
        .end(Buffer.alloc(5 * 1024 * 1024, 32));
    }
    if (kind === 'manifests' && ALIASES[repo] && !ref.startsWith('sha256:')) {
      const body = await indexFor(options.registry, repo, repo === 'multi/arch');
      return void res.writeHead(200, { 'content-type': OCI_INDEX }).end(body);
    }
    if (kind === 'blobs' && options.blobRedirect) {
      return void res
        .writeHead(307, { location: `${options.blobRedirect}/v2/${ALIASES[repo] ?? repo}/blobs/${ref}` })
        .end();
    }
    await forward(options.registry, `/v2/${ALIASES[repo] ?? repo}/${kind}/${ref}`, res);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(502).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    count: (part) => requests.filter((r) => r.path.includes(part)).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
