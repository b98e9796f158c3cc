import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request as newRequest, type APIRequestContext } from '@playwright/test';
import pg from 'pg';
import {
  runningEmbeddedUrl,
  startEmbeddedPostgres,
  type EmbeddedDatabase,
} from '../../lib/adapters/db/embedded-postgres';
import { freePort } from '../../lib/adapters/net/free-port';
import { DEFAULT_RESTART_POLICY } from '../../lib/domain/system/restart-policy';
import { childOf } from '../../scripts/start/children';
import { createSupervisor } from '../../scripts/start/supervisor';
import { startApp, type AppProcess } from './support/app-process';
import { expect, test } from './support/fixtures';

/**
 * `npm start` keeps working through faults: a workers process or the embedded Postgres killed with SIGKILL is started
 * again by the supervisor while the web server keeps answering, and a database that goes away for a while (here an
 * external one the test controls) only makes /api/readyz say 503 until it is back; no process restarts for it.
 */
test.setTimeout(300_000);
test.describe.configure({ mode: 'serial' });

const PASSWORD = 'supervisor-e2e-password';

/** The processes the supervisor runs now, by what they run. */
function children(supervisorPid: number): { web?: number; workers?: number; postgres?: number } {
  const lines = execFileSync('ps', ['--ppid', String(supervisorPid), '-o', 'pid=,args='], { encoding: 'utf8' });
  const found: { web?: number; workers?: number; postgres?: number } = {};
  for (const line of lines.trim().split('\n')) {
    const [pid, ...args] = line.trim().split(/\s+/);
    const command = args.join(' ');
    if (command.includes('workers/main.ts')) found.workers = Number(pid);
    else if (command.includes('server.ts')) found.web = Number(pid);
    else if (/\/postgres -D /.test(command)) found.postgres = Number(pid);
  }
  return found;
}

interface Readyz {
  status: number;
  body: { ready: boolean; checks: Record<string, string> };
}

async function readyz(url: string): Promise<Readyz> {
  const res = await fetch(`${url}/api/readyz`);
  return { status: res.status, body: (await res.json()) as Readyz['body'] };
}

/** Polls readyz until `until` holds, keeping every answer on the way. */
async function watchReadyz(url: string, until: (r: Readyz) => boolean, timeoutMs: number): Promise<Readyz[]> {
  const seen: Readyz[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const r = await readyz(url).catch(() => ({ status: 0, body: { ready: false, checks: {} } }));
    seen.push(r);
    if (until(r)) return seen;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`readyz never got there; last answers: ${JSON.stringify(seen.slice(-3))}`);
}

async function tokenClient(url: string): Promise<APIRequestContext> {
  const anonymous = await newRequest.newContext({ baseURL: url });
  const login = await anonymous.post('/api/v1/session/token', { data: { username: 'admin', password: PASSWORD } });
  expect(login.status(), await login.text()).toBe(201);
  const { token } = (await login.json()) as { token: string };
  await anonymous.dispose();
  return newRequest.newContext({ baseURL: url, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
}

const pipelineRun = (name: string, script: string, retries = 0) => `
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: ${name}}
spec:
  pipelineSpec:
    tasks:
      - {name: work, retries: ${retries}, taskSpec: {steps: [{name: s, image: alpine, script: '${script}'}]}}
`;

interface RunStatus {
  status?: {
    conditions?: { status: string; reason: string; message?: string }[];
    childReferences?: { kind: string; name: string }[];
  };
}

interface TaskRunStatus {
  status: { retriesStatus?: { conditions: { reason: string }[] }[] };
}

async function apply(api: APIRequestContext, yaml: string): Promise<void> {
  const res = await api.post('/api/v1/apply', { data: yaml, headers: { 'content-type': 'application/yaml' } });
  expect(res.status(), await res.text()).toBe(201);
}

/** The PipelineRun's Succeeded condition once it is over (status True or False). */
async function finished(api: APIRequestContext, name: string, timeoutMs: number) {
  let last: RunStatus = {};
  await expect
    .poll(
      async () => {
        last = (await (await api.get(`/api/v1/pipelineruns/${name}`)).json()) as RunStatus;
        return last.status?.conditions?.[0]?.status ?? 'none';
      },
      { timeout: timeoutMs, intervals: [500] },
    )
    .not.toMatch(/^(none|Unknown)$/);
  return last.status!.conditions![0];
}

/** Waits until the run's TaskRun has started its step: its log shows the step's first line. */
async function stepStarted(api: APIRequestContext, run: string, line: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const r = (await (await api.get(`/api/v1/pipelineruns/${run}`)).json()) as RunStatus;
        const taskRun = r.status?.childReferences?.find((c) => c.kind === 'TaskRun')?.name;
        if (!taskRun) return '';
        return (await api.get(`/api/v1/taskruns/${taskRun}/logs`)).text();
      },
      { timeout: 60_000, intervals: [250] },
    )
    .toContain(line);
}

/** A setting of the embedded Postgres of a running `npm start`, through the URL rotate-keys uses. */
async function showSetting(dataDir: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: await runningEmbeddedUrl(dataDir) });
  await client.connect();
  try {
    return Object.values((await client.query(`SHOW ${name}`)).rows[0] as Record<string, string>)[0];
  } finally {
    await client.end();
  }
}

test.describe('embedded Postgres and workers under kill -9', () => {
  let dataDir: string;
  let app: AppProcess;
  let api: APIRequestContext;

  test.beforeAll(async () => {
    // Starting Keelson (Postgres, migrations, web, workers) takes a while on a busy machine.
    test.setTimeout(240_000);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'keelson-supervisor-'));
    const port = await freePort();
    app = await startApp({
      PORT: String(port),
      KEELSON_DATA_DIR: dataDir,
      KEELSON_URL: `http://127.0.0.1:${port}`,
      KEELSON_ADMIN_PASSWORD: PASSWORD,
    });
    api = await tokenClient(app.url);
  });

  test.afterAll(async () => {
    await api?.dispose();
    // Stopped by the last test; after a failure, its words say why.
    if (app?.proc.exitCode === null) console.error(`--- Keelson output ---\n${app.output().slice(-4000)}`);
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a killed workers process is restarted while the web server answers, and runs go on', async () => {
    const before = children(app.proc.pid!);
    expect(before.workers).toBeGreaterThan(0);
    expect((await readyz(app.url)).body.checks).toMatchObject({ workers: 'running', postgres: 'running' });

    // A run in flight on the workers about to die: its TaskRun's lease expires and its retry runs on the new ones.
    await apply(api, pipelineRun('during-workers-kill', 'echo attempt; sleep 4', 1));
    await stepStarted(api, 'during-workers-kill', 'attempt');
    process.kill(before.workers!, 'SIGKILL');
    const seen = await watchReadyz(app.url, (r) => r.body.checks.workers === 'restarting', 10_000);
    // The web server kept answering, and stayed ready: it serves while the workers come back.
    expect(seen.every((r) => r.status === 200)).toBe(true);
    await watchReadyz(app.url, (r) => r.body.checks.workers === 'running', 30_000);
    expect(app.output()).toContain('[keelson] workers exited (signal SIGKILL); restarting in 1 s (restart 1)');
    const after = children(app.proc.pid!);
    expect(after.workers).toBeGreaterThan(0);
    expect(after.workers).not.toBe(before.workers);
    expect(after.web).toBe(before.web);

    await apply(api, pipelineRun('after-workers-kill', 'echo the new workers ran me'));
    expect(await finished(api, 'after-workers-kill', 90_000)).toMatchObject({ status: 'True', reason: 'Succeeded' });
    expect(app.proc.exitCode).toBeNull();
  });

  test('a killed embedded Postgres is started again: readyz 503 then 200, tokens and data kept', async () => {
    const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
    const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    const before = children(app.proc.pid!);
    expect(before.postgres).toBe(postmaster);

    process.kill(postmaster, 'SIGKILL');
    const down = await watchReadyz(app.url, (r) => r.status === 503, 10_000);
    expect(down.at(-1)!.body.ready).toBe(false);
    // Fixed words only: no error text, address or user name.
    expect(
      Object.values(down.at(-1)!.body.checks).every((v) => /^(ok|unavailable|timed out|running|restarting)$/.test(v)),
    ).toBe(true);
    const back = await watchReadyz(app.url, (r) => r.status === 200, 60_000);
    expect(back.some((r) => r.body.checks.postgres === 'restarting')).toBe(true);
    expect(back.at(-1)!.body.checks).toEqual({ database: 'ok', queue: 'ok', workers: 'running', postgres: 'running' });

    expect(app.output()).toContain('[keelson] postgres exited (signal SIGKILL); restarting in 1 s (restart 1)');
    const after = children(app.proc.pid!);
    expect(after.postgres).not.toBe(postmaster);
    expect(existsSync(`/proc/${after.postgres}`)).toBe(true);
    // Web and workers reconnected by themselves.
    expect({ web: after.web, workers: after.workers }).toEqual({ web: before.web, workers: before.workers });

    // Started again on its private Unix socket, never on a TCP port another local user could have taken meanwhile.
    expect(app.output()).toContain(`embedded PostgreSQL on the Unix socket in ${path.join(dataDir, 'pg-socket')}`);
    expect(await showSetting(dataDir, 'listen_addresses')).toBe('');
    expect(await showSetting(dataDir, 'unix_socket_directories')).toBe(path.join(dataDir, 'pg-socket'));

    // The token made before the crash still works, and the run of the previous test is still there.
    const me = await api.get('/api/v1/me');
    expect(me.status()).toBe(200);
    const run = (await (await api.get('/api/v1/pipelineruns/after-workers-kill')).json()) as RunStatus;
    expect(run.status?.conditions?.[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    // And new work runs.
    await apply(api, pipelineRun('after-postgres-kill', 'echo postgres came back'));
    expect(await finished(api, 'after-postgres-kill', 90_000)).toMatchObject({ status: 'True', reason: 'Succeeded' });
    expect(app.proc.exitCode).toBeNull();
  });

  test('the run in flight when the workers were killed ends Succeeded by its retry after TaskRunLeaseExpired', async () => {
    expect(await finished(api, 'during-workers-kill', 120_000)).toMatchObject({ status: 'True', reason: 'Succeeded' });
    const run = (await (await api.get('/api/v1/pipelineruns/during-workers-kill')).json()) as RunStatus;
    const taskRun = run.status!.childReferences!.find((c) => c.kind === 'TaskRun')!.name;
    const status = ((await (await api.get(`/api/v1/taskruns/${taskRun}`)).json()) as TaskRunStatus).status;
    expect(status.retriesStatus?.map((r) => r.conditions[0].reason)).toEqual(['TaskRunLeaseExpired']);
  });

  test('SIGTERM stops every child for good: no restart while stopping, exit code 0', async () => {
    const running = children(app.proc.pid!);
    expect(Object.keys(running).sort()).toEqual(['postgres', 'web', 'workers']);
    expect(await app.stop()).toBe(0);
    const stopping = app.output().slice(app.output().indexOf('[keelson] stopping...'));
    expect(stopping).toContain('[keelson] stopped');
    expect(stopping).not.toContain('restarting in');
    for (const pid of Object.values(running)) expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect(JSON.parse(readFileSync(path.join(dataDir, 'supervisor-state.json'), 'utf8')).children).toEqual({});
  });
});

test('an external Postgres stopped for 10 s mid-run: readyz 503 then 200, same processes, the run succeeds', async () => {
  // The step ends while Postgres is down: its last log line and its outcome are stored once it is back (retried within
  // the TaskRun's 30 s lease), not lost to a TaskRunLeaseExpired.
  // Each its own folder under the temporary dir: the database's is opened to the postgres user (when run as root).
  const pgDir = mkdtempSync(path.join(os.tmpdir(), 'keelson-external-pg-'));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keelson-external-data-'));
  let database: EmbeddedDatabase | undefined;
  let app: AppProcess | undefined;
  let api: APIRequestContext | undefined;
  try {
    database = await startEmbeddedPostgres({ dataDir: pgDir, database: 'keelson' });
    const pgPort = database.port;
    const port = await freePort();
    app = await startApp({
      PORT: String(port),
      KEELSON_DATA_DIR: dataDir,
      KEELSON_URL: `http://127.0.0.1:${port}`,
      KEELSON_ADMIN_PASSWORD: PASSWORD,
      DATABASE_URL: database.url,
    });
    api = await tokenClient(app.url);
    const before = children(app.proc.pid!);
    expect(before.web).toBeGreaterThan(0);
    expect(before.workers).toBeGreaterThan(0);
    // No embedded Postgres to report: the supervisor runs web and workers only.
    expect((await readyz(app.url)).body.checks).toEqual({ database: 'ok', queue: 'ok', workers: 'running' });

    await apply(api, pipelineRun('through-outage', 'echo step started; sleep 8; echo step done'));
    await stepStarted(api, 'through-outage', 'step started');
    await database.stop();
    const stoppedAt = Date.now();
    const down = await watchReadyz(app.url, (r) => r.status === 503, 10_000);
    expect(down.at(-1)!.body.checks.database).toBe('unavailable');
    await new Promise((r) => setTimeout(r, 10_000 - (Date.now() - stoppedAt)));
    database = await startEmbeddedPostgres({ dataDir: pgDir, database: 'keelson', port: pgPort });
    await watchReadyz(app.url, (r) => r.status === 200, 30_000);

    expect(await finished(api, 'through-outage', 90_000)).toMatchObject({ status: 'True', reason: 'Succeeded' });
    const taskRun = (
      (await (await api.get('/api/v1/pipelineruns/through-outage')).json()) as RunStatus
    ).status!.childReferences!.find((c) => c.kind === 'TaskRun')!.name;
    const log = await (await api.get(`/api/v1/taskruns/${taskRun}/logs?format=text`)).text();
    expect(log).toContain('step started');
    expect(log).toContain('step done');
    expect(children(app.proc.pid!)).toEqual(before);
    expect(app.output()).not.toMatch(/exited \((code|signal)/);
  } catch (err) {
    console.error(`--- Keelson output ---\n${app?.output().slice(-6000)}`);
    throw err;
  } finally {
    await api?.dispose();
    await app?.stop();
    await database?.stop();
    for (const dir of [pgDir, dataDir]) rmSync(dir, { recursive: true, force: true });
  }
});

test('a child that keeps exiting at once stops the supervisor with a message', async () => {
  const lines: string[] = [];
  const policy = { ...DEFAULT_RESTART_POLICY, firstDelayMs: 100, maxDelayMs: 1000 };
  const { spawn } = await import('node:child_process');
  const crash = () => childOf('workers', spawn(process.execPath, ['-e', 'process.exit(3)'], { stdio: 'ignore' }));
  const starts: number[] = [];
  const gaveUp = new Promise<string>((resolve) => {
    const supervisor = createSupervisor({
      policy,
      log: (l) => lines.push(l),
      onGiveUp: (_name, reason) => resolve(reason),
    });
    const first = crash();
    starts.push(first.pid!);
    supervisor.adopt('workers', first, async () => {
      const c = crash();
      starts.push(c.pid!);
      return c;
    });
  });
  expect(await gaveUp).toBe('workers exited 5 times within 60 s (last: code 3)');
  // Real processes, each a new one: the first and 4 restarts.
  expect(new Set(starts).size).toBe(5);
  expect(lines).toEqual([
    'workers exited (code 3); restarting in 0.1 s (restart 1)',
    expect.stringMatching(/^workers restarted \(pid \d+\)$/),
    'workers exited (code 3); restarting in 0.2 s (restart 2)',
    expect.stringMatching(/^workers restarted/),
    'workers exited (code 3); restarting in 0.4 s (restart 3)',
    expect.stringMatching(/^workers restarted/),
    'workers exited (code 3); restarting in 0.8 s (restart 4)',
    expect.stringMatching(/^workers restarted/),
    'workers exited 5 times within 60 s (last: code 3); stopping everything. Its output above says why.',
  ]);
});
