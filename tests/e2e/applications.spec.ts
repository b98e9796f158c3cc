import { expect, screenshot, test } from './support/fixtures';

const PHONE = { width: 390, height: 844 };

async function noSidewaysOverflow(page: import('@playwright/test').Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test.describe('Settings → Webhooks', () => {
  test.afterEach(async ({ adminPage: page }) => {
    // Leave no secret behind, whatever the test did.
    await page.request.delete('/api/v1/settings/webhooks/github');
  });

  test('shows the webhook URL and sets, replaces and removes a provider secret', async ({ adminPage: page }, info) => {
    await page.request.delete('/api/v1/settings/webhooks/github');
    await page.goto('/settings/webhooks');
    await expect(
      page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Webhooks' }),
    ).toHaveAttribute('aria-current', 'page');
    await expect(page.getByTestId('webhook-url')).toHaveText(/\/api\/webhooks\/git$/);
    const github = page.getByTestId('webhook-github');
    await expect(github).toContainText('Not configured');
    await expect(page.getByTestId('webhook-gitlab')).toBeVisible();
    await expect(page.getByTestId('webhook-bitbucket')).toBeVisible();

    await github.getByLabel('GitHub secret').fill('short');
    await github.getByRole('button', { name: 'Set secret' }).click();
    await expect(github.getByRole('alert')).toContainText(/8 characters/);

    await github.getByLabel('GitHub secret').fill('e2e-github-secret-1');
    await github.getByRole('button', { name: 'Set secret' }).click();
    await expect(github).toContainText('Secret set');
    const listed = (await (await page.request.get('/api/v1/settings/webhooks')).json()) as {
      items: { provider: string; configured: boolean }[];
    };
    expect(listed.items.find((i) => i.provider === 'github')?.configured).toBe(true);
    expect(JSON.stringify(listed)).not.toContain('e2e-github-secret-1');
    await screenshot(page, 'settings-webhooks', info.project.name);

    await github.getByLabel('GitHub secret').fill('e2e-github-secret-2');
    await github.getByRole('button', { name: 'Replace secret' }).click();
    await expect(github.getByLabel('GitHub secret')).toHaveValue('');

    page.once('dialog', (d) => void d.accept());
    await github.getByRole('button', { name: 'Remove' }).click();
    await expect(github).toContainText('Not configured');
  });

  test('a secret set through the API shows as configured', async ({ adminPage: page }) => {
    const put = await page.request.put('/api/v1/settings/webhooks/github', { data: { secret: 'e2e-api-secret-123' } });
    expect(put.ok(), await put.text()).toBe(true);
    await page.goto('/settings/webhooks');
    await expect(page.getByTestId('webhook-github')).toContainText('Secret set');
    expect((await page.request.delete('/api/v1/settings/webhooks/github')).ok()).toBe(true);
    await expect(page.getByTestId('webhook-github')).toContainText('Not configured', { timeout: 15_000 });
  });
});

test('Settings → Repositories and Clusters render their forms and lists', async ({ adminPage: page }, info) => {
  await page.goto('/settings/repositories');
  await expect(page.getByRole('form', { name: 'Add repository' })).toBeVisible();
  await page.getByLabel('Credentials').selectOption('https');
  await expect(page.getByLabel('Token or password')).toBeVisible();
  await page.getByLabel('Credentials').selectOption('ssh');
  await expect(page.getByLabel('SSH private key')).toBeVisible();
  await expect(
    page.getByRole('table', { name: 'Repositories' }).or(page.getByRole('heading', { name: 'No repositories yet' })),
  ).toBeVisible();
  await screenshot(page, 'settings-repositories', info.project.name);

  await page.goto('/settings/clusters');
  await expect(page.getByRole('form', { name: 'Add cluster' })).toBeVisible();
  await expect(
    page.getByRole('table', { name: 'Clusters' }).or(page.getByRole('heading', { name: 'No clusters yet' })),
  ).toBeVisible();
  // A kubeconfig that names no reachable server is refused with a message, and nothing is saved.
  await page.getByLabel('Name').fill('e2e-unreachable');
  await page.getByLabel('Kubeconfig').fill('apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
  await page.getByRole('button', { name: 'Add cluster' }).click();
  await expect(page.getByRole('form', { name: 'Add cluster' }).getByRole('alert')).toBeVisible();
  const clusters = (await (await page.request.get('/api/v1/clusters')).json()) as { items: { name: string }[] };
  expect(clusters.items.map((c) => c.name)).not.toContain('e2e-unreachable');
  await screenshot(page, 'settings-clusters', info.project.name);

  // The tokens and triggers tabs still work beside the new ones.
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'API tokens' }).click();
  await expect(page).toHaveURL(/\/settings\/tokens/);
});

test('Applications: empty state, New app dialog and filters in the URL', async ({ adminPage: page }, info) => {
  const list = (await (await page.request.get('/api/v1/applications')).json()) as { total: number };
  await page.goto('/applications');
  await expect(page.getByRole('heading', { level: 1, name: 'Applications' })).toBeVisible();
  if (list.total === 0) {
    const empty = page.getByRole('region', { name: 'No applications yet' });
    await expect(empty).toContainText('keelson app create -f application.yaml');
    await screenshot(page, 'applications-empty', info.project.name);
  }

  await page.getByRole('button', { name: 'New app' }).click();
  const dialog = page.getByRole('dialog', { name: 'New application' });
  await expect(dialog.getByLabel('Repository URL')).toBeVisible();
  await screenshot(page, 'applications-new-form', info.project.name);
  await dialog.getByRole('button', { name: 'Application YAML' }).click();
  await expect(dialog.getByLabel(/Argo CD Application/)).toHaveValue(/kind: Application/);
  await dialog.getByLabel(/Argo CD Application/).fill('kind: Application\nmetadata: { name: Bad_Name }\nspec: {}\n');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByRole('alert')).toBeVisible();
  await screenshot(page, 'applications-new-yaml-error', info.project.name);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  const after = (await (await page.request.get('/api/v1/applications?search=bad')).json()) as { total: number };
  expect(after.total).toBe(0);

  // Filters live in the URL: a filtered page renders the toolbar, facet chips and view toggle.
  await page.goto('/applications?health=Degraded&view=table');
  await expect(page.getByRole('group', { name: 'Health' }).getByRole('button', { name: /Degraded/ })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(page.getByRole('group', { name: 'Sync' }).getByRole('button', { name: /Out of sync/ })).toBeVisible();
  await expect(page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'Table' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await page.getByRole('searchbox', { name: 'Search by name' }).fill('zz-no-such-app');
  await expect(page).toHaveURL(/search=zz-no-such-app/);
  await page
    .getByRole('group', { name: 'Sync' })
    .getByRole('button', { name: /Out of sync/ })
    .click();
  await expect(page).toHaveURL(/sync=OutOfSync/);
  await expect(page.getByText('No applications match these filters.')).toBeVisible();
  await page.getByRole('button', { name: 'Tiles' }).click();
  await expect(page).not.toHaveURL(/view=table/);
  await screenshot(page, 'applications-filters', info.project.name);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/applications$/);
});

test('an application that does not exist says so', async ({ adminPage: page }) => {
  await page.goto('/applications/e2e-no-such-app');
  await expect(page.getByRole('heading', { name: 'No application e2e-no-such-app' })).toBeVisible({ timeout: 15_000 });
});

test('applications and GitOps settings fit a phone', async ({ adminPage: page }, info) => {
  await page.setViewportSize(PHONE);
  for (const path of [
    '/applications',
    '/applications?health=Healthy',
    '/settings/repositories',
    '/settings/clusters',
    '/settings/webhooks',
  ]) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await noSidewaysOverflow(page);
    await screenshot(page, `phone${path.replaceAll(/[/?=&]+/g, '-')}`, info.project.name);
  }
});
