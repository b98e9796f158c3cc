/**
 * One connection to one API server: credentials resolved by @kubernetes/client-node's KubeConfig
 * (kubeconfig, exec/OIDC plugins, in-cluster token files), requests sent over our own keep-alive
 * agent. client-node 1.x builds a fresh agent per call, i.e. a TLS handshake per request; reusing
 * sockets is what keeps a 10-object sync close to `kubectl apply --server-side`.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeError, errorFromResponse, redact } from './errors';

export type Query = Record<string, string | number | boolean | undefined>;

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  body?: unknown;
  contentType?: string;
  accept?: string;
  /** Whole-request timeout; default 30 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface KubeResponse {
  status: number;
  body: string;
}

export interface KubeStream {
  /** Resolves when the server ends the stream (normal end of a watch), rejects on errors. */
  done: Promise<void>;
  abort(): void;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export class KubeConnection {
  /** Unique per connection: caches (discovery) are keyed by it. */
  readonly id = randomUUID();
  readonly #kc: KubeConfig;
  readonly #agent: http.Agent;
  readonly #secrets: string[];
  readonly #dynamicAuth: boolean;
  #staticHeaders: Record<string, string> | undefined;

  constructor(
    kc: KubeConfig,
    readonly server: string,
    agent: http.Agent,
    secrets: string[],
    /** Namespace of the kubeconfig context, if any. */
    readonly defaultNamespace: string | undefined,
  ) {
    this.#kc = kc;
    this.#agent = agent;
    this.#secrets = secrets;
    const user = kc.getCurrentUser();
    this.#dynamicAuth = Boolean(user?.exec || user?.authProvider);
  }

  /** Never print credentials, not even by accident (console.log, JSON.stringify). */
  toJSON(): { server: string } {
    return { server: this.server };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `KubeConnection(${this.server})`;
  }

  redact(message: string): string {
    return redact(message, this.#secrets);
  }

  async #headers(): Promise<Record<string, string>> {
    if (!this.#dynamicAuth && this.#staticHeaders) return this.#staticHeaders;
    const opts: https.RequestOptions = { headers: {} };
    try {
      await this.#kc.applyToHTTPSOptions(opts);
    } catch (err) {
      throw new KubeError(
        `cannot obtain credentials: ${this.redact(err instanceof Error ? err.message : String(err))}`,
        0,
        'InvalidConfig',
      );
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === 'string') headers[k] = v;
    if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    if (!this.#dynamicAuth) this.#staticHeaders = headers;
    return headers;
  }

  #url(path: string, query: Query | undefined): URL {
    const url = new URL(this.server.replace(/\/+$/, '') + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  #networkError(err: unknown, what: string): KubeError {
    if (err instanceof KubeError) return err;
    const e = err as NodeJS.ErrnoException;
    const detail = this.redact(e?.message ?? String(err));
    if (e?.code === 'ETIMEDOUT' || e?.name === 'TimeoutError')
      return new KubeError(`timed out: ${what} on ${this.server}`, 0, 'Timeout');
    return new KubeError(`cannot reach ${this.server}: ${detail}`, 0, 'Unreachable');
  }

  #open(req: KubeRequest, headers: Record<string, string>): http.ClientRequest {
    const url = this.#url(req.path, req.query);
    const send = url.protocol === 'http:' ? http.request : https.request;
    const r = send(url, { method: req.method, agent: this.#agent, headers });
    // Not `signal:` — Node then emits an AbortError on the response that nobody may be listening to.
    if (req.signal) {
      const onAbort = (): void => void r.destroy();
      if (req.signal.aborted) onAbort();
      else req.signal.addEventListener('abort', onAbort, { once: true });
      r.once('close', () => req.signal?.removeEventListener('abort', onAbort));
    }
    return r;
  }

  async #buildHeaders(req: KubeRequest, payload: string | undefined): Promise<Record<string, string>> {
    const headers: Record<string, string> = { ...(await this.#headers()), Accept: req.accept ?? 'application/json' };
    if (payload !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    return headers;
  }

  /** Sends one request and returns status and body; throws KubeError only when there was no HTTP answer. */
  async request(req: KubeRequest): Promise<KubeResponse> {
    const payload =
      req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    const headers = await this.#buildHeaders(req, payload);
    const what = `${req.method} ${req.path}`;
    const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise<KubeResponse>((resolve, reject) => {
      const r = this.#open(req, headers);
      const timer = setTimeout(() => r.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), timeoutMs);
      r.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (err) => {
          clearTimeout(timer);
          reject(this.#networkError(err, what));
        });
      });
      r.on('error', (err) => {
        clearTimeout(timer);
        reject(this.#networkError(err, what));
      });
      r.end(payload);
    });
  }

  /** Like request, but a non-2xx answer becomes a KubeError carrying the API server's message. */
  async requestOk(req: KubeRequest): Promise<string> {
    const res = await this.request(req);
    if (res.status < 200 || res.status >= 300)
      throw errorFromResponse(res.status, res.body, `${req.method} ${req.path}`);
    return res.body;
  }

  /** GET with a long-lived response delivered line by line (watch). `idleMs` aborts a silent stream. */
  stream(req: Omit<KubeRequest, 'method' | 'body'>, onLine: (line: string) => void, idleMs = 90_000): KubeStream {
    const controller = new AbortController();
    const what = `watch ${req.path}`;
    const done = (async () => {
      const headers = await this.#buildHeaders({ ...req, method: 'GET' }, undefined);
      await new Promise<void>((resolve, reject) => {
        const r = this.#open({ ...req, method: 'GET', signal: controller.signal }, headers);
        let idle = setTimeout(() => r.destroy(Object.assign(new Error('watch idle'), { code: 'ETIMEDOUT' })), idleMs);
        const touch = (): void => {
          clearTimeout(idle);
          idle = setTimeout(() => r.destroy(Object.assign(new Error('watch idle'), { code: 'ETIMEDOUT' })), idleMs);
        };
        const fail = (err: unknown): void => {
          clearTimeout(idle);
          if (controller.signal.aborted) resolve();
          else reject(this.#networkError(err, what));
        };
        r.on('response', (res) => {
          const status = res.statusCode ?? 0;
          const chunks: Buffer[] = [];
          let buffered = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            touch();
            if (status !== 200) {
              chunks.push(Buffer.from(chunk));
              return;
            }
            buffered += chunk;
            let nl = buffered.indexOf('\n');
            while (nl >= 0) {
              const line = buffered.slice(0, nl).trim();
              buffered = buffered.slice(nl + 1);
              if (line) onLine(line);
              nl = buffered.indexOf('\n');
            }
          });
          res.on('end', () => {
            clearTimeout(idle);
            if (status !== 200) reject(errorFromResponse(status, Buffer.concat(chunks).toString('utf8'), what));
            else {
              if (buffered.trim()) onLine(buffered.trim());
              resolve();
            }
          });
          res.on('error', fail);
          res.on('aborted', () => fail(new Error('connection closed by the server')));
        });
        r.on('error', fail);
        r.on('close', () => {
          clearTimeout(idle);
          if (controller.signal.aborted) resolve();
        });
        r.end();
      });
    })();
    return { done, abort: () => controller.abort() };
  }

  /**
   * GET whose body the caller reads as it arrives (pod logs): resolves with the response once its head came,
   * whatever the status. The head must come within `timeoutMs` (default 30 s; the body may take as long as it
   * likes), else the request and its socket are destroyed and it rejects with a Timeout KubeError. Aborting
   * `req.signal` destroys the request and its socket.
   */
  async openResponse(req: Omit<KubeRequest, 'method' | 'body'>): Promise<http.IncomingMessage> {
    const headers = await this.#buildHeaders({ ...req, method: 'GET' }, undefined);
    const what = `GET ${req.path}`;
    return new Promise<http.IncomingMessage>((resolve, reject) => {
      const r = this.#open({ ...req, method: 'GET' }, headers);
      const head = setTimeout(
        () => r.destroy(Object.assign(new Error('no response head'), { code: 'ETIMEDOUT' })),
        req.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      );
      r.on('response', (res) => {
        clearTimeout(head);
        resolve(res);
      });
      r.on('error', (err) => {
        clearTimeout(head);
        reject(this.#networkError(err, what));
      });
      r.on('close', () => clearTimeout(head));
      r.end();
    });
  }

  /** Closes idle sockets. Open watches must be aborted by their owners. */
  close(): void {
    this.#agent.destroy();
  }
}
