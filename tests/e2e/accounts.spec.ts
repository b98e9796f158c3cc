import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request as newRequest, type Page } from '@playwright/test';
import { adminPassword, apiLogin, appUrl, createToken, expect, test } from './support/fixtures';
import { ssoLogin } from './support/sso-login';

const bin = path.resolve('bin/keelson.mjs');

/** Runs the real `keelson` binary with `stdin` as its standard input and no inherited credentials. */
function keelson(args: string[], env: Record<string, string>, stdin = '') {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KEELSON_')));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...clean, ...env } as NodeJS.ProcessEnv,
      timeout: 30_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const cliEnv = (token: string) => ({
  KEELSON_CONFIG: path.join(mkdtempSync(path.join(os.tmpdir(), 'kacct-')), 'c.json'),
  KEELSON_SERVER: appUrl(),
  KEELSON_TOKEN: token,
});

async function adminToken(name: string): Promise<string> {
  const api = await newRequest.newContext({ baseURL: appUrl() });
  await apiLogin(api, 'admin', adminPassword());
  const { token } = await createToken(api, name);
  await api.dispose();
  return token;
}

async function shoot(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: `test-results/screenshots/accounts-${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('CLI: account create / list / get / update-password / can-i / delete against the server', async () => {
  const admin = cliEnv(await adminToken('accounts cli'));
  const created = await keelson(['account', 'create', 'e2e-dora', '--password-stdin'], admin, 'dora-password-1\n');
  expect(created).toMatchObject({ code: 0, stdout: 'account/e2e-dora created\n' });
  const list = await keelson(['account', 'list', '-o', 'json'], admin);
  const items = JSON.parse(list.stdout).items as { name: string; roles: string[] }[];
  expect(items.find((a) => a.name === 'admin')?.roles).toContain('role:admin');
  expect(items.find((a) => a.name === 'e2e-dora')).toMatchObject({ roles: [] });
  expect((await keelson(['account', 'list'], admin)).stdout).toMatch(/^NAME\s+SOURCE\s+GROUPS\s+ROLES/);
  expect((await keelson(['account', 'get', 'e2e-dora'], admin)).stdout).toMatch(/Source\s+local/);

  // As argocd account can-i: yes or no, exit 0 either way.
  expect(await keelson(['account', 'can-i', 'sync', 'applications', 'default/*'], admin)).toMatchObject({
    code: 0,
    stdout: 'yes\n',
  });
  const login = await keelson(
    ['login', '--server', appUrl(), '--username', 'e2e-dora', '--password', 'dora-password-1'],
    { KEELSON_CONFIG: admin.KEELSON_CONFIG.replace('c.json', 'dora.json') },
  );
  expect(login.code).toBe(0);
  const dora = { KEELSON_CONFIG: admin.KEELSON_CONFIG.replace('c.json', 'dora.json') };
  expect(await keelson(['account', 'can-i', 'sync', 'applications', 'default/*'], dora)).toMatchObject({
    code: 0,
    stdout: 'no\n',
  });
  expect((await keelson(['account', 'can-i', 'get', 'applications', 'default/web'], dora)).stdout).toBe('yes\n');
  expect((await keelson(['whoami'], dora)).stdout).toContain('e2e-dora, roles role:readonly');

  // Her own password: the current one first, then the new one, one line each.
  const wrong = await keelson(
    ['account', 'update-password', '--current-password-stdin', '--new-password-stdin'],
    dora,
    'not-it\ndora-password-2\n',
  );
  expect(wrong.code).toBe(1);
  expect(wrong.stderr).toContain('current password does not match');
  const changed = await keelson(
    ['account', 'update-password', '--current-password-stdin', '--new-password-stdin'],
    dora,
    'dora-password-1\ndora-password-2\n',
  );
  expect(changed).toMatchObject({ code: 0, stdout: 'Password updated for account/e2e-dora\n' });
  const denied = await keelson(['account', 'delete', 'admin', '--yes'], dora);
  expect(denied.code).toBe(1);
  expect(denied.stderr).toContain('permission denied: accounts, update, admin');

  const adminDelete = await keelson(['account', 'delete', 'admin', '--yes'], admin);
  expect(adminDelete.stderr).toContain('The built-in admin account cannot be deleted');
  expect(await keelson(['account', 'delete', 'e2e-dora', '--yes'], admin)).toMatchObject({ code: 0 });
  // Her token went with her.
  expect((await keelson(['whoami'], dora)).code).not.toBe(0);
});

test('Settings → Accounts: create, change the password, delete; screenshots', async ({ adminPage: page }) => {
  await page.goto('/settings/accounts');
  await expect(page.getByRole('link', { name: 'Accounts' })).toHaveAttribute('aria-current', 'page');
  const table = page.getByRole('table', { name: 'Accounts' });
  await expect(table.getByRole('row', { name: /admin \(you\)/ })).toContainText('role:admin');

  await page.getByRole('button', { name: 'Create account' }).click();
  const create = page.getByRole('dialog', { name: 'Create a local account' });
  await create.getByLabel('Name').fill('e2e-erin');
  await create.getByLabel(/^Password/).fill('erin-password-1');
  await create.getByLabel('Repeat the password').fill('erin-password-1');
  await shoot(page, 'create-dialog');
  await create.getByRole('button', { name: 'Create account' }).click();
  await expect(create).toBeHidden();
  const erin = table.getByRole('row', { name: /e2e-erin/ });
  await expect(erin).toContainText('local');
  await shoot(page, 'list');

  await erin.getByRole('button', { name: 'Change the password of e2e-erin' }).click();
  const pw = page.getByRole('dialog', { name: 'Set the password of e2e-erin' });
  await expect(pw.getByLabel('Current password')).toHaveCount(0);
  await pw.getByLabel(/^Password/).fill('erin-password-2');
  await pw.getByLabel('Repeat the password').fill('erin-password-2');
  await pw.getByRole('button', { name: 'Change password' }).click();
  await expect(pw).toBeHidden();
  const api = await newRequest.newContext({ baseURL: appUrl() });
  expect((await apiLogin(api, 'e2e-erin', 'erin-password-2')).status()).toBe(200);
  await api.dispose();

  await expect(table.getByRole('button', { name: 'Delete admin' })).toBeDisabled();
  page.once('dialog', (d) => void d.accept());
  await erin.getByRole('button', { name: 'Delete e2e-erin' }).click();
  await expect(table.getByRole('row', { name: /e2e-erin/ })).toHaveCount(0);
});

test('Settings → Accounts for an SSO user of a read-only group: the list, every change disabled', async ({ page }) => {
  await ssoLogin(page, 'viewer');
  await expect(page).toHaveURL(/\/applications/);
  await page.goto('/settings/accounts');
  const table = page.getByRole('table', { name: 'Accounts' });
  await expect(table.getByRole('row', { name: /vera \(you\)/ })).toContainText('SSO (oidc)');
  await expect(page.getByRole('button', { name: 'Create account' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Create account' })).toHaveAttribute(
    'title',
    'You are not allowed to create accounts.',
  );
  await expect(table.getByRole('button', { name: 'Delete admin' })).toBeDisabled();
  await expect(table.getByRole('button', { name: 'Change the password of admin' })).toBeDisabled();
  await shoot(page, 'readonly');
  const res = await page.context().request.delete('/api/v1/accounts/admin', {
    headers: { 'content-type': 'application/json', origin: appUrl() },
  });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.denied).toEqual({ resource: 'accounts', action: 'update', object: 'admin' });
});
