import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { request as newRequest } from '@playwright/test';
import { adminPassword, apiLogin, appUrl, createToken, expect, test } from './support/fixtures';

const run = promisify(execFile);
const bin = path.resolve('bin/keelson.mjs');

/** Runs the real `keelson` binary with its own config file and no inherited credentials. */
async function keelson(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KEELSON_')));
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { ...clean, ...env } as NodeJS.ProcessEnv,
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const freshConfig = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'keelson-cli-')), 'config.json');

test('login with a token stores it with mode 0600, and version shows client and server', async () => {
  const api = await newRequest.newContext({ baseURL: appUrl() });
  await apiLogin(api, 'admin', adminPassword());
  const { token } = await createToken(api, 'cli e2e');
  const config = freshConfig();
  const login = await keelson(['login', '--server', appUrl(), '--token', token], { KEELSON_CONFIG: config });
  expect(login.stdout).toContain('as admin');
  expect(login.code).toBe(0);
  expect(statSync(config).mode & 0o777).toBe(0o600);
  expect(JSON.parse(readFileSync(config, 'utf8'))).toMatchObject({ server: appUrl(), token });

  const version = await keelson(['version'], { KEELSON_CONFIG: config });
  expect(version.stdout).toMatch(/Client: keelson v\d+\.\d+\.\d+\nServer: keelson v\d+\.\d+\.\d+/);
  const json = await keelson(['version', '-o', 'json'], { KEELSON_CONFIG: config });
  expect(JSON.parse(json.stdout)).toMatchObject({
    client: { version: expect.any(String) },
    server: { version: expect.any(String) },
  });

  const list = await keelson(['token', 'list', '-o', 'json'], { KEELSON_CONFIG: config });
  expect(JSON.parse(list.stdout).map((t: { name: string }) => t.name)).toContain('cli e2e');
  await api.dispose();
});

test('login with username and password exchanges them for a new token', async () => {
  const config = freshConfig();
  const login = await keelson(['login', '--server', appUrl(), '--username', 'admin', '--password', adminPassword()], {
    KEELSON_CONFIG: config,
  });
  expect(login.code).toBe(0);
  const saved = JSON.parse(readFileSync(config, 'utf8'));
  expect(saved.token).toMatch(/^kls_/);
  const who = await keelson(['whoami', '-o', 'json'], { KEELSON_CONFIG: config });
  expect(JSON.parse(who.stdout)).toMatchObject({ username: 'admin', role: 'admin' });
});

test('a wrong password fails with a non-zero exit and saves nothing; no password without a terminal is a usage error', async () => {
  const config = freshConfig();
  const bad = await keelson(['login', '--server', appUrl(), '--username', 'admin', '--password', 'wrong'], {
    KEELSON_CONFIG: config,
  });
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain('Invalid credentials');
  const noTty = await keelson(['login', '--server', appUrl(), '--username', 'admin'], { KEELSON_CONFIG: config });
  expect(noTty.code).toBe(2);
  expect(noTty.stderr).toContain('--password is required');
  expect(() => statSync(config)).toThrow();
});

test('--server/--token and KEELSON_SERVER/KEELSON_TOKEN override the config file', async () => {
  const api = await newRequest.newContext({ baseURL: appUrl() });
  await apiLogin(api, 'admin', adminPassword());
  const { token } = await createToken(api, 'cli env');
  const empty = freshConfig();
  const viaEnv = await keelson(['whoami'], { KEELSON_CONFIG: empty, KEELSON_SERVER: appUrl(), KEELSON_TOKEN: token });
  expect(viaEnv.stdout).toMatch(/^admin/);
  const viaFlags = await keelson(['--server', appUrl(), '--token', token, 'token', 'list'], { KEELSON_CONFIG: empty });
  expect(viaFlags.stdout).toMatch(/^ID\s+NAME\s+PREFIX/);
  const badToken = await keelson(['whoami'], {
    KEELSON_CONFIG: empty,
    KEELSON_SERVER: appUrl(),
    KEELSON_TOKEN: `kls_${'y'.repeat(43)}`,
  });
  expect(badToken.code).toBe(1);
  expect(badToken.stderr).toContain('401');
  await api.dispose();
});

test('version without a login prints the client version and says the server shows its own after login', async () => {
  const version = await keelson(['--server', appUrl(), 'version'], { KEELSON_CONFIG: freshConfig() });
  expect(version.code).toBe(0);
  expect(version.stdout).toMatch(/^Client: keelson v\d+\.\d+\.\d+\nServer: log in to see the version of http/);
  // The server itself answers only with credentials.
  const anon = await newRequest.newContext({ baseURL: appUrl() });
  expect((await anon.get('/api/v1/version')).status()).toBe(401);
  expect((await anon.get('/api/v1/openapi.json')).status()).toBe(401);
  await anon.dispose();
});
