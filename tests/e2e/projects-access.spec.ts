import { readFileSync } from 'node:fs';
import { request as newRequest, type Page } from '@playwright/test';
import { apiLogin, appUrl, expect, test } from './support/fixtures';

/** Settings → Projects and Settings → Access in the browser: apply, delete, map a group; read-only callers. */
const SAMPLE = readFileSync('tests/fixtures/gitops/projects/argocd-project-sample.yaml', 'utf8');

async function shoot(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: `test-results/screenshots/${name}-${width}.png`, fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${name} at ${width}px is wider than the screen`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

const yaml = { 'content-type': 'application/yaml' };

test('Settings → Projects lists projects with their windows, applies one from the editor and deletes it', async ({
  adminPage: page,
}) => {
  const sample = await page.request.post('/api/v1/projects?upsert=true', { data: SAMPLE, headers: yaml });
  expect(sample.status(), await sample.text()).toBeLessThan(300);
  try {
    await page.goto('/settings/projects');
    const table = page.getByRole('table', { name: 'Projects' });
    await expect(table).toContainText('default');
    await expect(table).toContainText('my-project');
    await expect(table).toContainText('10 1 * * *');
    await expect(
      page.getByRole('row', { name: /default/ }).getByRole('button', { name: 'Delete default' }),
    ).toBeDisabled();

    await page.getByRole('button', { name: 'New project' }).click();
    const dialog = page.getByRole('dialog', { name: 'New project' });
    const editor = dialog.getByLabel('AppProject YAML');
    await editor.fill(
      'apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: e2e-team\nspec:\n  sourceRepo: ["*"]\n',
    );
    // The dialog looks as every Modal does (components/ui/modal.css), as the pipelines' Start dialog.
    await shoot(page, 'settings-projects-new-dialog');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await expect(dialog.getByRole('alert')).toContainText('spec');
    await editor.fill(
      'apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: e2e-team\nspec:\n  description: Made in the browser\n  sourceRepos: ["*"]\n',
    );
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await expect(table).toContainText('Made in the browser');
    await shoot(page, 'settings-projects');

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete e2e-team' }).click();
    await expect(table).not.toContainText('e2e-team');
  } finally {
    await page.request.delete('/api/v1/projects/my-project');
    await page.request.delete('/api/v1/projects/e2e-team');
  }
});

test('Settings → Access shows the policy, refuses a bad line with its line number, and maps a group to a role', async ({
  adminPage: page,
}) => {
  const before = (await (await page.request.get('/api/v1/settings/rbac')).json()) as { configMap: unknown };
  try {
    await page.goto('/settings/access');
    const editor = page.getByLabel('ConfigMap YAML');
    await expect(editor).toHaveValue(/name: argocd-rbac-cm/);
    await expect(page.getByRole('term').filter({ hasText: /^role:readonly$/ })).toBeVisible();
    await editor.fill(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-rbac-cm\ndata:\n  policy.default: role:readonly\n  policy.csv: |\n    p, role:x, applications, get, */*, allow\n    p, role:x, aplications, get, */*, allow\n',
    );
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(page.getByRole('form', { name: 'RBAC ConfigMap' }).getByRole('alert')).toContainText(
      'data["policy.csv"] line 2',
    );

    await page.getByLabel('Group').fill('e2e-observers');
    await page.getByLabel('Role').selectOption('role:readonly');
    await page.getByRole('button', { name: 'Map group' }).click();
    await expect(page.getByLabel('ConfigMap YAML')).toHaveValue(/g, e2e-observers, role:readonly/);
    await shoot(page, 'settings-access');
  } finally {
    await page.request.put('/api/v1/settings/rbac', { data: before.configMap });
  }
});

test('a read-only user sees both pages with their edit controls disabled', async ({ adminPage: page, browser }) => {
  const name = `e2e-viewer-${Date.now()}`;
  const password = 'viewer-password-1234';
  const created = await page.request.post('/api/v1/accounts', { data: { name, password } });
  expect(created.status(), await created.text()).toBe(201);
  const context = await browser.newContext();
  try {
    const res = await apiLogin(context.request, name, password);
    expect(res.ok()).toBe(true);
    const viewer = await context.newPage();
    await viewer.goto(`${appUrl()}/settings/access`);
    await expect(viewer.getByLabel('ConfigMap YAML')).toHaveValue(/argocd-rbac-cm/);
    await expect(viewer.getByRole('button', { name: 'Map group' })).toBeDisabled();
    await expect(viewer.getByRole('button', { name: 'Apply', exact: true })).toBeDisabled();
    await viewer.goto(`${appUrl()}/settings/projects`);
    await expect(viewer.getByRole('button', { name: 'New project' })).toBeVisible();
    await viewer.getByRole('button', { name: 'New project' }).click();
    await expect(viewer.getByRole('button', { name: 'Apply' })).toBeDisabled();
    const api = await newRequest.newContext({ baseURL: appUrl(), storageState: await context.storageState() });
    const put = await api.put('/api/v1/settings/rbac', {
      data: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-rbac-cm' }, data: {} },
      headers: { origin: appUrl() },
    });
    expect(put.status()).toBe(403);
    await api.dispose();
  } finally {
    await context.close();
    await page.request.delete(`/api/v1/accounts/${name}`);
  }
});
