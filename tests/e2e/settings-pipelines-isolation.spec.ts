import { request as newRequest, type APIRequestContext } from '@playwright/test';
import { adminPassword, apiLogin, appUrl, expect, screenshot, test } from './support/fixtures';

/**
 * Settings → Pipelines, the run namespaces' isolation (security review F4, F5): the admin sets the ranges pods may not
 * reach and turns off the executor annotation; a range that is none is refused with its field and nothing is stored.
 * The setting goes back to the defaults afterwards (other specs rely on them).
 */
let api: APIRequestContext;

test.beforeAll(async () => {
  api = await newRequest.newContext({ baseURL: appUrl() });
  await apiLogin(api, 'admin', adminPassword());
});

test.afterAll(async () => {
  await api.put('/api/v1/settings/pipelines', { data: { cluster: null } });
  await api.dispose();
});

const stored = async () =>
  ((await (await api.get('/api/v1/settings/pipelines')).json()) as { setting: Record<string, unknown> }).setting;

for (const [width, height] of [
  [1440, 900],
  [390, 844],
] as const) {
  test(`the admin sets the ranges pods may not reach and refuses executor overrides (${width} px)`, async ({
    adminPage: page,
  }, info) => {
    await api.put('/api/v1/settings/pipelines', { data: { cluster: null } });
    await page.setViewportSize({ width, height });
    await page.goto('/settings/pipelines');
    const ranges = page.getByLabel('Pods may not reach (IPv4 ranges, besides 169.254.0.0/16)');
    const override = page.getByLabel('Runs may choose their executor with the annotation keelson.dev/executor');
    await expect(override).toBeChecked();

    await ranges.fill('10.0.0.0/8, internal');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText(/podEgressDenyCidrs\.1/).first()).toBeVisible();
    expect((await stored()).podEgressDenyCidrs).toEqual([]);

    await ranges.fill('10.0.0.0/8, 172.16.0.0/12');
    await override.uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await stored()).allowExecutorOverride).toBe(false);
    expect(await stored()).toMatchObject({ podEgressDenyCidrs: ['10.0.0.0/8', '172.16.0.0/12'], podQuota: null });
    await page.reload();
    await expect(ranges).toHaveValue('10.0.0.0/8, 172.16.0.0/12');
    await expect(override).not.toBeChecked();
    await expect(page.getByTestId('executor-override-off')).toContainText('is refused');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, `settings-pipelines-isolation-${width}`, info.project.name);
  });
}
