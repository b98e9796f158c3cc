import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { request as newRequest, type APIRequestContext } from '@playwright/test';
import { adminPassword, apiLogin, appUrl, createToken, expect, test } from './support/fixtures';

/**
 * `keelson app` and the Applications API through the real server, without a cluster: what the
 * server refuses (with field paths), exit codes, and the Git webhook with and without a secret.
 * Syncing against a cluster is the cluster suite's job.
 */
const run = promisify(execFile);
const bin = path.resolve('bin/keelson.mjs');
let env: Record<string, string>;
let api: APIRequestContext;

async function keelson(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, ...env } as NodeJS.ProcessEnv,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test.beforeAll(async () => {
  api = await newRequest.newContext({ baseURL: appUrl() });
  await apiLogin(api, 'admin', adminPassword());
  const { token } = await createToken(api, 'cli apps');
  env = {
    KEELSON_CONFIG: path.join(mkdtempSync(path.join(os.tmpdir(), 'kcli-')), 'c.json'),
    KEELSON_SERVER: appUrl(),
    KEELSON_TOKEN: token,
  };
});

test.afterAll(async () => {
  await api.delete(`${appUrl()}/api/v1/settings/webhooks/github`);
  await api.dispose();
});

test('app create refuses an unknown cluster, multi-source and credentials in the URL, naming the field; stores nothing', async () => {
  const unknown = await keelson([
    'app',
    'create',
    'web',
    '--repo',
    'https://github.com/acme/deploy',
    '--dest-cluster',
    'nowhere',
    '--dest-namespace',
    'web',
  ]);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain('spec.destination.name');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kapp-'));
  const file = path.join(dir, 'apps.yaml');
  writeFileSync(
    file,
    'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: multi}\nspec:\n  sources: [{repoURL: "https://h/a"}]\n  destination: {name: prod}\n',
  );
  const multi = await keelson(['app', 'create', '-f', file]);
  expect(multi.code).toBe(1);
  expect(multi.stderr).toContain('multi-source');
  // Local repositories are allowed in this e2e server (the Sync test uses one); their refusal in
  // production is covered by tests/integration/applications-create.test.ts.
  const withPassword = await keelson([
    'app',
    'create',
    'creds',
    '--repo',
    'https://bot:hunter2@git.example.com/acme/deploy.git',
    '--dest-cluster',
    'x',
  ]);
  expect(withPassword.code).toBe(1);
  expect(withPassword.stderr).toContain('spec.source.repoURL');
  expect(withPassword.stderr).not.toContain('hunter2');
  const list = await keelson(['app', 'list', '-o', 'json']);
  expect(list.code).toBe(0);
  expect(JSON.parse(list.stdout)).toEqual([]);
});

test('usage mistakes exit 2 before calling the server; app diff errors exit 2', async () => {
  expect(
    (await keelson(['app', 'create', 'x', '--repo', 'https://h/r', '--dest-cluster', 'c', '--helm-set', 'novalue']))
      .code,
  ).toBe(2);
  expect((await keelson(['app', 'sync', 'x', '--resource', 'justaname'])).code).toBe(2);
  expect((await keelson(['app', 'delete', 'x'])).code).toBe(2);
  const badCascade = await keelson(['app', 'delete', 'x', '--cascade=maybe', '--yes']);
  expect(badCascade.code).toBe(2);
  expect(badCascade.stderr).toContain('--cascade must be true or false');
  const diff = await keelson(['app', 'diff', 'nope']);
  expect(diff.code).toBe(2);
  expect(diff.stderr).toContain('404');
  expect((await keelson(['app', 'get', 'nope'])).code).toBe(1);
});

test('Git webhook: unsigned accepted without a secret; with one, a bad signature is 401; the secret is never returned', async () => {
  const body = JSON.stringify({
    ref: 'refs/heads/main',
    repository: { html_url: 'https://github.com/acme/deploy', default_branch: 'main' },
  });
  const post = (headers: Record<string, string>) =>
    newRequest.newContext().then((c) =>
      c.post(`${appUrl()}/api/webhooks/git`, {
        headers: { 'content-type': 'application/json', 'x-github-event': 'push', ...headers },
        data: body,
      }),
    );
  const open = await post({});
  expect(open.status()).toBe(200);
  expect(await open.json()).toEqual({ provider: 'github', refreshed: 0 }); // a count: anonymous callers learn no application names
  expect(
    (await api.put(`${appUrl()}/api/v1/settings/webhooks/github`, { data: { secret: 'e2e-webhook-secret' } })).status(),
  ).toBe(200);
  expect((await post({ 'x-hub-signature-256': 'sha256=00' })).status()).toBe(401);
  const signed = await post({
    'x-hub-signature-256': `sha256=${createHmac('sha256', 'e2e-webhook-secret').update(body).digest('hex')}`,
  });
  expect(signed.status()).toBe(200);
  const settings = await (await api.get(`${appUrl()}/api/v1/settings/webhooks`)).text();
  expect(settings).toContain('"configured":true');
  expect(settings).not.toContain('e2e-webhook-secret');
});
