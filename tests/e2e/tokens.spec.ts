import { request as newRequest } from '@playwright/test';
import { appUrl, expect, screenshot, test } from './support/fixtures';

test('create an API token in Settings, use it, then revoke it', async ({ adminPage: page }, info) => {
  await page.goto('/settings');
  await expect(page).toHaveURL(/\/settings\/tokens/);
  await page.getByLabel('Name').fill('e2e laptop');
  await page.getByRole('button', { name: 'Create token' }).click();
  const shown = page.getByTestId('new-token');
  await expect(shown).toHaveText(/^kls_/);
  const token = (await shown.textContent())!;
  await expect(page.getByRole('table', { name: 'API tokens' })).toContainText('e2e laptop');
  await screenshot(page, 'settings-tokens', info.project.name);

  const api = await newRequest.newContext({
    baseURL: appUrl(),
    extraHTTPHeaders: { authorization: `Bearer ${token}` },
  });
  const me = await api.get('/api/v1/me');
  expect(me.status()).toBe(200);
  expect((await me.json()).username).toBe('admin');

  // Shown once: after a reload the list has only the prefix.
  await page.reload();
  await expect(page.getByTestId('new-token')).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'API tokens' })).not.toContainText(token);

  page.once('dialog', (d) => void d.accept());
  const row = page.getByRole('row', { name: /e2e laptop/ });
  await row.getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByRole('row', { name: /e2e laptop/ })).toHaveCount(0);
  expect((await api.get('/api/v1/me')).status()).toBe(401);
  await api.dispose();
});
