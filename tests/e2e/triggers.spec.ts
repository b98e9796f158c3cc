import { createHmac } from 'node:crypto';
import { request as newRequest } from '@playwright/test';
import { adminPassword, apiLogin, appUrl, expect, screenshot, test } from './support/fixtures';

const SECRET = 'e2e-webhook-secret';
const TRIGGER = 'e2e-on-push';

const YAML = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: e2e-triggered }
spec:
  params: [{ name: revision, default: none }]
  tasks:
    - name: echo
      params: [{ name: revision, value: $(params.revision) }]
      taskSpec:
        params: [{ name: revision }]
        # Payload values reach the script through env, never pasted into it (apply warns otherwise).
        steps: [{ name: echo, image: alpine, env: [{ name: REVISION, value: $(params.revision) }], script: 'echo built "$REVISION"' }]
---
apiVersion: v1
kind: Secret
metadata: { name: e2e-hook }
stringData: { token: ${SECRET} }
---
apiVersion: keelson.dev/v1alpha1
kind: Trigger
metadata: { name: ${TRIGGER} }
spec:
  pipelineRef: { name: e2e-triggered }
  provider: github
  secretRef: { name: e2e-hook, key: token }
  filter: { events: [push], branches: [main] }
  params: [{ name: revision, value: $(body.head_commit.id) }]
`;

test('Settings → Triggers explains how to apply one when there are none', async ({ adminPage: page }, info) => {
  const list = (await (await page.request.get('/api/v1/triggers')).json()) as { items: unknown[] };
  test.skip(list.items.length > 0, 'another test already applied a Trigger');
  await page.goto('/settings/triggers');
  const empty = page.getByRole('region', { name: 'No triggers yet' });
  await expect(empty).toBeVisible();
  await expect(empty).toContainText('kind: Trigger');
  await screenshot(page, 'settings-triggers-empty', info.project.name);
});

test('Settings → Triggers shows the webhook URL and each delivery with its outcome', async ({
  adminPage: page,
}, info) => {
  const applied = await page.request.post('/api/v1/apply', {
    data: YAML,
    headers: { 'content-type': 'application/yaml' },
  });
  expect(applied.status(), await applied.text()).toBe(201);

  const body = JSON.stringify({ ref: 'refs/heads/main', head_commit: { id: 'e2e0c0ffee' } });
  const hook = `/api/webhooks/triggers/${TRIGGER}`;
  const unsigned = await page.request.post(hook, {
    data: body,
    headers: { 'content-type': 'application/json', 'x-github-event': 'push' },
  });
  expect(unsigned.status()).toBe(401);
  const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
  const signed = await page.request.post(hook, {
    data: body,
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': signature },
  });
  expect(signed.status(), await signed.text()).toBe(201);
  const { run } = (await signed.json()) as { run: string };

  await page.goto('/settings');
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Triggers' }).click();
  await expect(page).toHaveURL(/\/settings\/triggers$/);

  const card = page.getByRole('region', { name: `Trigger ${TRIGGER}` });
  await expect(card).toBeVisible();
  await expect(card.getByTestId('webhook-url')).toHaveText(new URL(hook, page.url()).href);
  await expect(card.getByRole('link', { name: 'e2e-triggered', exact: true })).toHaveAttribute(
    'href',
    '/pipelines/e2e-triggered',
  );

  const rows = card.getByRole('table', { name: `Deliveries of ${TRIGGER}` }).locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('started');
  await expect(rows.nth(0)).toContainText('201');
  await expect(rows.nth(0).getByRole('link', { name: run })).toHaveAttribute('href', `/runs/${run}`);
  await expect(rows.nth(1)).toContainText('rejected');
  await expect(rows.nth(1)).toContainText('missing X-Hub-Signature-256 header');

  // A delivery made while the page is open shows up without a reload.
  const feature = JSON.stringify({ ref: 'refs/heads/feature', head_commit: { id: 'f00' } });
  const filtered = await page.request.post(hook, {
    data: feature,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(feature).digest('hex')}`,
    },
  });
  expect(filtered.status()).toBe(202);
  await expect(rows).toHaveCount(3, { timeout: 8000 });
  await expect(rows.nth(0)).toContainText('filtered');

  await screenshot(page, 'settings-triggers', info.project.name);
});

// Leave the dashboard as the other specs expect it: no pipelines, no runs.
test.afterAll(async () => {
  const api = await newRequest.newContext({ baseURL: appUrl() });
  await apiLogin(api, 'admin', adminPassword());
  const { items } = (await (await api.get('/api/v1/pipelineruns?pipeline=e2e-triggered&limit=200')).json()) as {
    items: { name: string }[];
  };
  for (const r of items) {
    await expect
      .poll(
        async () =>
          ((await (await api.get(`/api/v1/pipelineruns/${r.name}`)).json()) as { status: { completionTime?: string } })
            .status.completionTime,
        { timeout: 30_000 },
      )
      .toBeTruthy();
    await api.delete(`/api/v1/pipelineruns/${r.name}`);
  }
  await api.delete('/api/v1/pipelines/e2e-triggered');
  await api.dispose();
});
