/**
 * Bounded HTTP for registry lookups: every hop's host is checked (registry-host-guard.ts), bodies are
 * capped while streaming, redirects are followed at most MAX_REDIRECTS times and drop the Authorization
 * header when they leave the origin (registries redirect blobs to object storage).
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import {
  checkConnectedSocket,
  guardedLookup,
  literalRefusal,
  RefusedHostError,
  type PrivateRegistryHosts,
} from './registry-host-guard';

export const MAX_REDIRECTS = 3;

export interface RegistryResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered (after redirects). */
  url: URL;
}

export interface HttpPolicy {
  allowPrivate: PrivateRegistryHosts;
  /** Origins (`http://127.0.0.1:5000`) of configured mirrors: any address, plain http allowed. */
  mirrorOrigins: ReadonlySet<string>;
  agents: RegistryAgents;
}

export class TooLargeError extends Error {}
export class PlainHttpError extends Error {}
export class TooManyRedirectsError extends Error {}

export interface RegistryAgents {
  http: http.Agent;
  https: https.Agent;
}

/**
 * Keep-alive agents for one resolver. Never shared between resolvers: a pooled socket skips the
 * guarded lookup, so it must only serve requests judged by the same policy.
 */
export function createRegistryAgents(): RegistryAgents {
  return {
    http: new http.Agent({ keepAlive: true, maxSockets: 16, timeout: 30_000 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 16, timeout: 30_000 }),
  };
}

/** A registry on this host (docker's default insecure registries: 127.0.0.0/8, and localhost). */
export const isLoopbackHost = (hostname: string) =>
  /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|::1)$/.test(hostname.toLowerCase().replace(/\.$/, ''));

/** https, or plain http to a configured mirror or (with every private host allowed) to this host. */
export function plainHttpAllowed(url: URL, policy: HttpPolicy): boolean {
  if (url.protocol === 'https:' || policy.mirrorOrigins.has(url.origin)) return true;
  return policy.allowPrivate === true && isLoopbackHost(url.hostname);
}

function once(
  url: URL,
  headers: Record<string, string>,
  maxBytes: number,
  policy: HttpPolicy,
  signal: AbortSignal,
): Promise<RegistryResponse> {
  const anyAddress = policy.mirrorOrigins.has(url.origin);
  if (!plainHttpAllowed(url, policy)) {
    return Promise.reject(new PlainHttpError(`${url.host} is reached only over https (plain http only for a mirror)`));
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const refusal = literalRefusal(host, policy.allowPrivate, anyAddress);
  if (refusal) return Promise.reject(new RefusedHostError(refusal));
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<RegistryResponse>((resolve, reject) => {
    const req = client.request(
      {
        protocol: url.protocol,
        hostname: host,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers: { 'user-agent': 'keelson', ...headers },
        agent: url.protocol === 'https:' ? policy.agents.https : policy.agents.http,
        lookup: guardedLookup(policy.allowPrivate, anyAddress),
        signal,
      },
      (res) => {
        const declared = Number(res.headers['content-length'] ?? NaN);
        if (declared > maxBytes) {
          res.destroy();
          return reject(new TooLargeError(`the registry answered with ${declared} bytes (limit ${maxBytes})`));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            res.destroy();
            reject(new TooLargeError(`the registry answered with more than ${maxBytes} bytes`));
          } else chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), url }),
        );
        res.on('error', reject);
      },
    );
    req.on('socket', (socket: Socket) => checkConnectedSocket(socket, host, policy.allowPrivate, anyAddress));
    req.on('error', reject);
    req.end();
  });
}

/** GET `url` following redirects (each hop checked); the body of any answer, capped at `maxBytes`. */
export async function registryGet(
  start: URL,
  headers: Record<string, string>,
  options: { maxBytes: number; policy: HttpPolicy; signal: AbortSignal },
): Promise<RegistryResponse> {
  let url = start;
  let hopHeaders = headers;
  for (let hop = 0; ; hop++) {
    const res = await once(url, hopHeaders, options.maxBytes, options.policy, options.signal);
    const location = res.headers.location;
    if (res.status < 300 || res.status >= 400 || res.status === 304 || !location) return res;
    if (hop >= MAX_REDIRECTS) throw new TooManyRedirectsError(`more than ${MAX_REDIRECTS} redirects`);
    const next = new URL(location, url);
    if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new RefusedHostError('a redirect left http(s)');
    if (next.origin !== url.origin) {
      const { authorization: _dropped, ...rest } = hopHeaders;
      hopHeaders = rest;
    }
    url = next;
  }
}
