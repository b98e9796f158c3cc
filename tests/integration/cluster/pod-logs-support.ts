/**
 * The pod logs routes on a real web server (the matrix server: real listener, real route modules) over the
 * gitops harness's database and test cluster, with API tokens of three users:
 *   alice  role:admin;  bob  `applications, get` only (no `logs`);  carol  nothing.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { users } from '@/lib/adapters/db/schema';
import type { Principal } from '@/lib/server/principal';
import { createApiToken } from '@/lib/server/tokens/create-api-token';
import { startMatrixServer, type MatrixServer } from '../security/authorization-matrix-server';
import { installTestWebContext, webEnv } from '../security/web-support';
import { makeClients, waitFor } from './cluster';
import type { Gitops } from './gitops-harness';

/** The gitops harness seals cluster credentials with this key (gitops-harness.ts); the web process must open them. */
const HARNESS_SECRET = 'gitops-harness-secret-key-0123456789abcdef';

export type Caller = 'alice' | 'bob' | 'carol';

export interface LogsWeb {
  url: string;
  tokens: Record<Caller, string>;
  server: MatrixServer;
  get(caller: Caller, path: string, init?: { signal?: AbortSignal }): Promise<Response>;
}

export async function startLogsWeb(h: Gitops): Promise<LogsWeb> {
  process.env.KEELSON_SECRET_KEY = HARNESS_SECRET;
  webEnv(h.t);
  installTestWebContext();
  const server = await startMatrixServer();
  await h.t
    .deps()
    .accessStores.rbac.put(
      { 'policy.default': '', 'policy.csv': 'g, alice, role:admin\np, bob, applications, get, */*, allow\n' },
      'test',
    );
  const tokens = {} as Record<Caller, string>;
  for (const username of ['alice', 'bob', 'carol'] as const) {
    const [u] = await h.t.handle.db.insert(users).values({ username, role: 'user', source: 'local' }).returning();
    const p: Principal = {
      userId: u.id,
      username,
      name: null,
      role: 'user',
      groups: [],
      via: 'token',
      source: 'local',
    };
    tokens[username] = (await createApiToken(h.t.deps(), p, { name: 'logs' })).token;
  }
  return {
    url: server.url,
    tokens,
    server,
    get: (caller, path, init = {}) =>
      fetch(`${server.url}${path}`, {
        headers: { authorization: `Bearer ${tokens[caller]}` },
        signal: init.signal ?? AbortSignal.timeout(60_000),
      }),
  };
}

export interface SseMessage {
  event: string;
  data: unknown;
}

/** Reads server-sent events until `stop` says so or the stream ends; comments (pings) are counted apart. */
export async function readSse(
  res: Response,
  stop: (e: SseMessage, all: SseMessage[]) => boolean = () => false,
): Promise<{ events: SseMessage[]; pings: number; ended: boolean }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseMessage[] = [];
  let pings = 0;
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { events, pings, ended: true };
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.startsWith(':')) {
        pings++;
        continue;
      }
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as unknown;
      events.push({ event, data });
      if (stop({ event, data }, events)) {
        await reader.cancel();
        return { events, pings, ended: false };
      }
    }
  }
}

/** Creates a namespace for a file's apps and waits for its default ServiceAccount (pods need it). */
export async function makeNamespace(name: string): Promise<void> {
  const kube = makeClients();
  await kube.core.createNamespace({ body: { metadata: { name, labels: { 'keelson.test/ephemeral': 'true' } } } });
  await waitFor(`default ServiceAccount in ${name}`, async () => {
    const sas = await kube.core.listNamespacedServiceAccount({ namespace: name });
    return sas.items.some((sa) => sa.metadata?.name === 'default');
  });
}

export async function dropNamespace(name: string): Promise<void> {
  await makeClients()
    .core.deleteNamespace({ name })
    .catch(() => undefined);
}

/** `/api/v1/applications/APP/logs?…` */
export const logsPath = (app: string, q: Record<string, string>) =>
  `/api/v1/applications/${app}/logs?${new URLSearchParams(q)}`;
export const podsPath = (app: string, q: Record<string, string>) =>
  `/api/v1/applications/${app}/pods?${new URLSearchParams(q)}`;

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `keelson` binary against the web server as `caller`. With `interruptWhen`, sends SIGINT (Ctrl-C)
 * once the output so far satisfies it.
 */
export function keelson(
  web: LogsWeb,
  caller: Caller,
  args: string[],
  interruptWhen?: (stdout: string) => boolean,
): Promise<CliRun> {
  const child = spawn(process.execPath, [path.resolve('bin/keelson.mjs'), ...args], {
    env: { ...process.env, KEELSON_SERVER: web.url, KEELSON_TOKEN: web.tokens[caller], KEELSON_CONFIG: '/nonexistent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let interrupted = false;
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (interruptWhen && !interrupted && interruptWhen(stdout)) {
      interrupted = true;
      child.kill('SIGINT');
    }
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}
