import { readFileSync } from 'node:fs';
import { request as newRequest, type APIRequestContext, type Page } from '@playwright/test';
import { createTestRepo, type TestRepo } from '../integration/support/git-repos';
import { adminPassword, apiLogin, appUrl, expect, test } from './support/fixtures';
import { ssoLogin } from './support/sso-login';

/**
 * Issue 12, sync windows and permissions on the applications pages: an app whose project has a deny window active
 * now shows "Sync window: blocked" (the window in the tooltip) on its page and in the list, and a manual sync is
 * refused with 409 naming the window; a read-only SSO user sees the app with Sync, Rollback and Delete disabled.
 */
const kubeconfig = process.env.KEELSON_E2E_KUBECONFIG;
const PROJECT = 'e2e-frozen';
const APP = 'frozen-web';
const CLUSTER = 'windows';
const SIZES = [
  ['desktop', { width: 1280, height: 900 }],
  ['phone', { width: 390, height: 844 }],
] as const;

let api: APIRequestContext;
let repo: TestRepo;

test.skip(!kubeconfig && !process.env.CI, 'the test control plane is not built (bash tests/cluster/build.sh)');

test.beforeAll(async () => {
  api = await newRequest.newContext({ baseURL: appUrl() });
  await apiLogin(api, 'admin', adminPassword());
  const project = await api.post('/api/v1/projects?upsert=true', {
    data: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: PROJECT },
      spec: {
        sourceRepos: ['*'],
        destinations: [{ name: '*', server: '*', namespace: '*' }],
        // Every minute, for a day: active whenever the test runs.
        syncWindows: [{ kind: 'deny', schedule: '* * * * *', duration: '24h', applications: ['*'] }],
      },
    },
  });
  expect(project.status(), await project.text()).toBeLessThan(300);
  const cluster = await api.post('/api/v1/clusters', {
    data: { name: CLUSTER, kubeconfig: readFileSync(kubeconfig as string, 'utf8') },
  });
  expect(cluster.status(), await cluster.text()).toBe(201);
  repo = await createTestRepo({
    files: { 'deploy/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: frozen\ndata:\n  a: "1"\n' },
  });
  const app = await api.post('/api/v1/applications', {
    data: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: APP },
      spec: {
        project: PROJECT,
        source: { repoURL: repo.url, path: 'deploy', targetRevision: 'main' },
        destination: { name: CLUSTER, namespace: 'frozen' },
      },
    },
  });
  expect(app.status(), await app.text()).toBe(201);
});

test.afterAll(async () => {
  await api.delete(`/api/v1/applications/${APP}?cascade=false`);
  await api.delete(`/api/v1/clusters/${CLUSTER}`);
  await api.delete(`/api/v1/projects/${PROJECT}`);
  await api.dispose();
  await repo?.cleanup();
});

async function shoot(page: Page, name: string) {
  for (const [size, viewport] of SIZES) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: `test-results/screenshots/${size}-${name}.png`, fullPage: true });
  }
  await page.setViewportSize(SIZES[0][1]);
}

test('a deny window shows on the app page and in the list, and refuses a manual sync with 409', async ({ page }) => {
  await apiLogin(page.context().request, 'admin', adminPassword());
  await page.setViewportSize(SIZES[0][1]);
  await page.goto(`/applications/${APP}`);
  const badge = page.getByTestId('sync-window-badge');
  await expect(badge).toHaveText('Sync window: blocked');
  await expect(badge).toHaveAttribute('title', /deny \* \* \* \* \* for 24h/);
  await expect(page.getByRole('button', { name: 'Sync', exact: true })).toBeEnabled();
  await shoot(page, 'app-sync-window');

  const sync = await page.context().request.post(`/api/v1/applications/${APP}/sync`, { data: {} });
  expect(sync.status()).toBe(409);
  expect(((await sync.json()) as { error: { message: string } }).error.message).toContain(
    'blocked by sync window deny * * * * * 24h',
  );

  await page.goto(`/applications?search=${APP}`);
  await expect(page.getByTestId('sync-window-badge').first()).toHaveText('Sync window: blocked');
  await shoot(page, 'apps-sync-window');
  await page.goto(`/applications?search=${APP}&view=table`);
  await expect(page.getByTestId('sync-window-badge').first()).toBeVisible();
  await shoot(page, 'apps-table-sync-window');
});

test('a read-only SSO user sees the app with Sync, Rollback and Delete disabled, and no New app', async ({ page }) => {
  await page.setViewportSize(SIZES[0][1]);
  await ssoLogin(page, 'viewer');
  await page.goto(`/applications/${APP}`);
  await page.waitForLoadState('networkidle');
  for (const name of ['Sync', 'Rollback', 'Delete']) {
    const control = page.getByRole('button', { name, exact: true });
    await expect(control).toBeDisabled();
    await expect(control).toHaveAttribute('title', /You are not allowed to (sync|delete) this application/);
  }
  await shoot(page, 'app-readonly');
  await page.goto('/applications');
  await expect(page.getByRole('link', { name: new RegExp(APP) }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'New app', exact: true })).toHaveCount(0);
  await shoot(page, 'apps-readonly');
});
