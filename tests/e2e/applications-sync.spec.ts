import { readFileSync } from 'node:fs';
import { request as newRequest, type APIRequestContext } from '@playwright/test';
import { createTestRepo, type TestRepo } from '../integration/support/git-repos';
import { adminPassword, apiLogin, appUrl, expect, screenshot, test } from './support/fixtures';

/**
 * Sync and Rollback clicked in the browser against the real control plane: the app goes from
 * OutOfSync to Synced + Healthy, a new commit makes it OutOfSync again, and a rollback deploys the
 * old commit and pins the app, which the banner says until Unpin.
 */
const kubeconfig = process.env.KEELSON_E2E_KUBECONFIG;
const cm = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: greeting\ndata:\n  message: "${v}"\n`;
const deploy = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels: { app: web }\n  template:\n    metadata:\n      labels: { app: web }\n    spec:\n      containers:\n        - name: main\n          image: example.invalid/web:1\n`;

let api: APIRequestContext;
let repo: TestRepo;

test.skip(!kubeconfig && !process.env.CI, 'the test control plane is not built (bash tests/cluster/build.sh)');

test.beforeAll(async () => {
  api = await newRequest.newContext({ baseURL: appUrl() });
  await apiLogin(api, 'admin', adminPassword());
  const cluster = await api.post('/api/v1/clusters', {
    data: { name: 'e2e', kubeconfig: readFileSync(kubeconfig as string, 'utf8') },
  });
  expect(cluster.status(), await cluster.text()).toBe(201);
  repo = await createTestRepo({ files: { 'deploy/greeting.yaml': cm('v1'), 'deploy/web.yaml': deploy } });
});

test.afterAll(async () => {
  // No cascade parameter: as in Argo CD, deleting an app deletes its resources first (202).
  expect((await api.delete('/api/v1/applications/guestbook')).status()).toBe(202);
  await expect
    .poll(async () => (await api.get('/api/v1/applications/guestbook')).status(), { timeout: 20_000 })
    .toBe(404);
  await api.delete('/api/v1/clusters/e2e');
  await api.dispose();
  await repo.cleanup();
});

test('Sync and Rollback in the browser change the app state and pin it', async ({ adminPage: page }, info) => {
  test.setTimeout(120_000);
  const created = await api.post('/api/v1/applications', {
    data: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'guestbook' },
      spec: {
        source: { repoURL: repo.url, path: 'deploy', targetRevision: 'main' },
        destination: { name: 'e2e', namespace: 'guestbook' },
        syncPolicy: { syncOptions: ['CreateNamespace=true'] },
        info: [
          { name: 'Runbook', value: 'https://wiki.example.com/guestbook' },
          { name: 'Owner', value: 'team-web' },
        ],
      },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const sha1 = await repo.sha();

  await page.goto('/applications/guestbook');
  await expect(page.getByTestId('app-info')).toContainText('Owner');
  await expect(page.getByRole('link', { name: 'https://wiki.example.com/guestbook' })).toHaveAttribute(
    'target',
    '_blank',
  );
  const health = page.getByTestId('health-badge').first();
  const sync = page.getByTestId('sync-badge').first();
  await expect(sync).toHaveText(/Out of sync/, { timeout: 20_000 });

  await page.getByRole('button', { name: 'Sync', exact: true }).click();
  await page.getByRole('button', { name: 'Synchronize' }).click();
  await expect(page.getByTestId('operation-progress').first()).toHaveAttribute('data-phase', 'Succeeded', {
    timeout: 30_000,
  });
  await screenshot(page, 'app-sync-dialog', info.project.name);
  await page.getByRole('button', { name: 'Close' }).click();
  await expect(sync).toHaveText('Synced', { timeout: 20_000 });
  await expect(health).toHaveText('Healthy', { timeout: 20_000 });
  await expect(page.getByTestId('tree-node-Deployment-web')).toBeVisible();
  await screenshot(page, 'app-synced', info.project.name);

  const sha2 = await repo.commit({ 'deploy/greeting.yaml': cm('v2') }, 'say v2');
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  await expect(sync).toHaveText(/Out of sync/, { timeout: 20_000 });
  await expect(page.getByTestId('current-sha')).toHaveText(sha2.slice(0, 7));
  await page.getByRole('button', { name: 'Sync', exact: true }).click();
  await page.getByRole('button', { name: 'Synchronize' }).click();
  await expect(page.getByTestId('operation-progress').first()).toHaveAttribute('data-phase', 'Succeeded', {
    timeout: 30_000,
  });
  await page.getByRole('button', { name: 'Close' }).click();
  await expect(sync).toHaveText('Synced', { timeout: 20_000 });

  await page.getByRole('button', { name: 'Rollback' }).click();
  await page.getByRole('radio', { name: 'Revision 0' }).check();
  await expect(page.getByText('message: v1').or(page.getByText('message: "v1"')).first()).toBeVisible({
    timeout: 20_000,
  });
  await screenshot(page, 'app-rollback-dialog', info.project.name);
  await page.getByRole('button', { name: `Roll back to ${sha1.slice(0, 7)}` }).click();
  const banner = page.getByRole('status', { name: 'Pinned revision' });
  await expect(banner).toContainText(sha1.slice(0, 7), { timeout: 30_000 });
  await expect(sync).toHaveText('Synced', { timeout: 30_000 });
  await expect(page.getByTestId('current-sha')).toHaveText(sha1.slice(0, 7), { timeout: 20_000 });
  const detail = await api.get(
    '/api/v1/applications/guestbook/resource?group=&kind=ConfigMap&namespace=guestbook&name=greeting',
  );
  expect(((await detail.json()) as { liveManifest?: string }).liveManifest).toMatch(/message: "?v1"?/);
  await screenshot(page, 'app-pinned', info.project.name);

  await banner.getByRole('button', { name: 'Unpin' }).click();
  await expect(banner).toHaveCount(0, { timeout: 20_000 });
  await expect(sync).toHaveText(/Out of sync/, { timeout: 20_000 });

  await page.goto('/applications?view=table');
  await expect(page.getByRole('link', { name: 'guestbook' }).first()).toBeVisible();
  await screenshot(page, 'apps-list-table', info.project.name);
  await page.goto('/applications');
  await expect(page.getByRole('link', { name: /guestbook/ }).first()).toBeVisible();
  await screenshot(page, 'apps-list-tiles', info.project.name);
});
