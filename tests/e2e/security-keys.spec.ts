import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request as newRequest, type APIRequestContext } from '@playwright/test';
import pg from 'pg';
import { runningEmbeddedUrl } from '../../lib/adapters/db/embedded-postgres';
import { freePort } from '../../lib/adapters/net/free-port';
import { sealingKey } from '../../lib/server/security/secret-box';
import { startApp, type AppProcess } from './support/app-process';
import { expect, test } from './support/fixtures';

/**
 * Keys on a real `npm start`: separate sealing and session keys in the data dir, and `npm run keys:rotate`
 * while the web server and the workers run: sessions stay logged in, pipelines keep reading Secrets.
 */
test.setTimeout(300_000);

const root = path.resolve(import.meta.dirname, '../..');
const digest = (v: string) => createHash('sha256').update(v).digest('hex').slice(0, 16);
const keyLines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));

function taskRun(name: string, secret: string) {
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'TaskRun',
    metadata: { name },
    spec: {
      taskSpec: {
        results: [{ name: 'h' }],
        steps: [
          {
            name: 's',
            image: 'alpine',
            env: [{ name: 'V', valueFrom: { secretKeyRef: { name: secret, key: 'v' } } }],
            script: 'printf %s "$V" | sha256sum | cut -c1-16 | tr -d "\\n" > $(results.h.path)',
          },
        ],
      },
    },
  };
}

async function runTask(api: APIRequestContext, docs: unknown[], name: string): Promise<unknown> {
  const applied = await api.post('/api/v1/apply', { data: docs });
  expect(applied.status(), await applied.text()).toBeLessThan(300);
  for (let i = 0; i < 120; i++) {
    const res = await api.get(`/api/v1/taskruns/${name}`);
    const body = (await res.json()) as {
      status?: {
        completionTime?: string;
        results?: { name: string; value: unknown }[];
        conditions?: { reason: string }[];
      };
    };
    if (body.status?.completionTime)
      return body.status.results?.find((r) => r.name === 'h')?.value ?? body.status.conditions;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`TaskRun ${name} did not finish`);
}

function rotate(dataDir: string, ...args: string[]) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/rotate-keys.ts', ...args], {
    cwd: root,
    env: { ...process.env, KEELSON_DATA_DIR: dataDir, KEELSON_SECRET_KEY: '' },
    encoding: 'utf8',
  });
  expect(res.status, res.stdout + res.stderr).toBe(0);
  return res.stdout;
}

async function sealedValues(dataDir: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: await runningEmbeddedUrl(dataDir) });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>(
      `SELECT v.value AS v FROM companions, jsonb_each_text(data->'sealed') v WHERE kind = 'Secret'`,
    );
    return rows.map((r) => r.v);
  } finally {
    await client.end();
  }
}

test('npm start makes separate keys; keys:rotate while Keelson runs keeps sessions and Secrets working; --retire ends old sessions only', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keelson-keys-e2e-'));
  const port = await freePort();
  let app: AppProcess | undefined;
  try {
    app = await startApp({
      PORT: String(port),
      KEELSON_DATA_DIR: dataDir,
      KEELSON_URL: `http://127.0.0.1:${port}`,
      KEELSON_SECRET_KEY: '',
      KEELSON_ALLOW_UNSANDBOXED: process.env.KEELSON_ALLOW_UNSANDBOXED ?? '',
    });
    const keys = path.join(dataDir, 'keys');
    const [sealingA] = keyLines(path.join(keys, 'sealing.keys'));
    const [sessionA] = keyLines(path.join(keys, 'session.keys'));
    expect(sealingA).not.toBe(sessionA);
    expect(statSync(path.join(keys, 'sealing.keys')).mode & 0o777).toBe(0o600);
    expect(statSync(keys).mode & 0o777).toBe(0o700);
    expect(existsSync(path.join(dataDir, 'secret-key'))).toBe(false);

    const password = /Log in as admin with password (\S+)/.exec(app.output())![1];
    const browser = await newRequest.newContext({ baseURL: app.url, extraHTTPHeaders: { origin: app.url } });
    const { csrfToken } = (await (await browser.get('/api/auth/csrf')).json()) as { csrfToken: string };
    const login = await browser.post('/api/auth/callback/credentials', {
      form: { username: 'admin', password, csrfToken, callbackUrl: '/', json: 'true' },
      maxRedirects: 0,
    });
    expect(login.status()).toBeLessThan(400);
    expect((await browser.get('/api/v1/me')).status()).toBe(200);
    const tokenRes = await browser.post('/api/v1/tokens', { data: { name: 'keys' } });
    const { token } = (await tokenRes.json()) as { token: string };
    const api = await newRequest.newContext({
      baseURL: app.url,
      extraHTTPHeaders: { authorization: `Bearer ${token}` },
    });

    const before = `before-${randomBytes(8).toString('hex')}`;
    const secretDoc = (name: string, v: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name },
      stringData: { v },
    });
    expect(await runTask(api, [secretDoc('s1', before), taskRun('tr-before', 's1')], 'tr-before')).toBe(digest(before));

    const out = rotate(dataDir, '--grace-seconds', '2');
    expect(out).toMatch(/companions: 1 value\(s\) re-sealed/);
    const [sealingB] = keyLines(path.join(keys, 'sealing.keys'));
    expect(sealingB).not.toBe(sealingA);
    expect((await sealedValues(dataDir)).every((v) => v.startsWith(`v2:${sealingKey(sealingB).id}:`))).toBe(true);

    // No restart: the old cookie still works, the workers open the re-sealed Secret, the web server seals with B.
    expect((await browser.get('/api/v1/me')).status()).toBe(200);
    expect(await runTask(api, [taskRun('tr-after', 's1')], 'tr-after')).toBe(digest(before));
    const after = `after-${randomBytes(8).toString('hex')}`;
    expect(await runTask(api, [secretDoc('s2', after), taskRun('tr-new', 's2')], 'tr-new')).toBe(digest(after));
    expect((await sealedValues(dataDir)).every((v) => v.startsWith(`v2:${sealingKey(sealingB).id}:`))).toBe(true);

    rotate(dataDir, '--retire');
    expect(keyLines(path.join(keys, 'sealing.keys'))).toEqual([sealingB]);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await browser.get('/api/v1/me')).status()).toBe(401);
    expect(await runTask(api, [taskRun('tr-retired', 's1')], 'tr-retired')).toBe(digest(before));
    await api.dispose();
    await browser.dispose();
    expect(await app.stop()).toBe(0);
  } catch (err) {
    if (app) console.error(`--- Keelson output ---\n${app.output().slice(-4000)}`);
    throw err;
  } finally {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
