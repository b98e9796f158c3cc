import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { request as newRequest } from '@playwright/test';
import { createTestRepo } from '../integration/support/git-repos';
import { adminPassword, apiLogin, appUrl, createToken, expect, screenshot, test } from './support/fixtures';

const run = promisify(execFile);
const bin = path.resolve('bin/keelson.mjs');

/** Runs the real `keelson` binary against the e2e server with this token (no config file, no inherited env). */
async function keelson(token: string, args: string[]) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KEELSON_')));
  const config = path.join(mkdtempSync(path.join(os.tmpdir(), 'keelson-audit-')), 'config.json');
  const extra: Record<string, string> = { KEELSON_CONFIG: config, KEELSON_SERVER: appUrl(), KEELSON_TOKEN: token };
  const env = { ...clean, ...extra } as NodeJS.ProcessEnv;
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

interface Row {
  actor: string;
  via: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown> | null;
}

test('the audit log says who did what via the UI, the API and the CLI; keelson audit list and Settings → Audit show it', async ({
  adminPage: page,
}, info) => {
  const stamp = Date.now().toString(36);
  // UI: a token created in Settings (browser session).
  await page.goto('/settings/tokens');
  await page.getByLabel('Name').fill(`audit-ui-${stamp}`);
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByTestId('new-token')).toHaveText(/^kls_/);

  // API: a token created with a token by a script.
  const api = await newRequest.newContext({ baseURL: appUrl() });
  await apiLogin(api, 'admin', adminPassword());
  const { token } = await createToken(api, `audit-api-parent-${stamp}`);
  const script = await newRequest.newContext({
    baseURL: appUrl(),
    extraHTTPHeaders: { authorization: `Bearer ${token}`, 'user-agent': 'deploy-script/1.0' },
  });
  expect((await script.post('/api/v1/tokens', { data: { name: `audit-api-${stamp}` } })).status()).toBe(201);

  // CLI: the real binary sends User-Agent keelson-cli/<version>.
  const created = await keelson(token, ['token', 'create', `audit-cli-${stamp}`]);
  expect(created.code, created.stderr).toBe(0);

  const listed = await keelson(token, [
    'audit',
    'list',
    '--user',
    'admin',
    '--resource',
    'tokens',
    '--since',
    '1h',
    '-o',
    'json',
  ]);
  expect(listed.code, listed.stderr).toBe(0);
  const rows = (JSON.parse(listed.stdout) as { items: Row[] }).items.filter((r) =>
    String(r.details?.name ?? '').endsWith(stamp),
  );
  const viaOf = (name: string) => rows.find((r) => r.details?.name === name)?.via;
  expect(viaOf(`audit-ui-${stamp}`)).toBe('ui');
  expect(viaOf(`audit-api-${stamp}`)).toBe('api');
  expect(viaOf(`audit-cli-${stamp}`)).toBe('cli');
  expect(rows.every((r) => r.action === 'token.create' && r.target?.startsWith('token/'))).toBe(true);

  const table = await keelson(token, ['audit', 'list', '--action', 'token.create', '--limit', '2', '-o', 'wide']);
  expect(table.code, table.stderr).toBe(0);
  expect(table.stdout).toMatch(/^TIME\s+USER\s+VIA\s+ACTION\s+OBJECT\s+RESULT\s+IP\s+DETAILS/);
  expect(table.stdout).toMatch(/1-2 of \d+ \(next: --offset 2\)/);

  // The page: filters in the URL, server-side paging, details expandable.
  await page.goto('/settings/audit?resource=token');
  const log = page.getByRole('table', { name: 'Audit log' });
  await expect(log).toContainText('token.create');
  await expect(page.getByLabel('Resource')).toHaveValue('token');
  await page.getByLabel('User').fill('admin');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/user=admin/);
  await expect(page.getByTestId('audit-total')).toContainText(/of \d+/);
  const first = page.getByRole('row', { name: new RegExp(`token\\.create`) }).first();
  await first.getByRole('button', { name: 'Details' }).click();
  await expect(page.locator('.audit-details').first()).toContainText('"name"');
  await page.setViewportSize({ width: 1280, height: 900 });
  await screenshot(page, 'settings-audit-1280', info.project.name);
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshot(page, 'settings-audit-390', info.project.name);

  // The API answers the same, and a bad filter is a 400 naming the field.
  const viaApi = await script.get('/api/v1/audit?resource=token&limit=1');
  expect(viaApi.status()).toBe(200);
  expect(await viaApi.json()).toMatchObject({
    limit: 1,
    offset: 0,
    items: [expect.objectContaining({ actor: 'admin' })],
  });
  const bad = await script.get('/api/v1/audit?since=yesterday');
  expect(bad.status()).toBe(400);
  expect(await bad.text()).toContain('since');
  await api.dispose();
  await script.dispose();
});

test("an application update's row shows the JSON Patch of its spec in Settings → Audit", async ({
  adminPage: page,
}, info) => {
  const kubeconfig = process.env.KEELSON_E2E_KUBECONFIG;
  test.skip(!kubeconfig && !process.env.CI, 'the test control plane is not built (bash tests/cluster/build.sh)');
  const api = await newRequest.newContext({ baseURL: appUrl() });
  await apiLogin(api, 'admin', adminPassword());
  const cluster = await api.post('/api/v1/clusters', {
    data: { name: 'audit', kubeconfig: readFileSync(kubeconfig as string, 'utf8') },
  });
  expect(cluster.status(), await cluster.text()).toBe(201);
  const repo = await createTestRepo({
    files: { 'deploy/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n' },
  });
  const doc = (targetRevision: string, namespace: string) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'audit-web' },
    spec: {
      project: 'default',
      source: { repoURL: repo.url, path: 'deploy', targetRevision },
      destination: { name: 'audit', namespace },
    },
  });
  try {
    expect((await api.post('/api/v1/applications', { data: doc('main', 'audit') })).status()).toBe(201);
    const updated = await api.put('/api/v1/applications/audit-web', { data: doc('HEAD', 'audit-2') });
    expect(updated.status(), await updated.text()).toBe(200);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto('/settings/audit?action=application.update');
    const row = page.getByRole('row', { name: /application\/audit-web/ }).first();
    await expect(row).toContainText('ui');
    await row.getByRole('button', { name: 'Details' }).click();
    const changes = page.getByRole('list', { name: 'Changes (JSON Patch)' });
    await expect(changes).toContainText('replace /spec/source/targetRevision → HEAD');
    await expect(changes).toContainText('replace /spec/destination/namespace → audit-2');
    await screenshot(page, 'settings-audit-diff-1280', info.project.name);
  } finally {
    await api.delete('/api/v1/applications/audit-web?cascade=false');
    await api.delete('/api/v1/clusters/audit');
    await repo.cleanup?.();
    await api.dispose();
  }
});
