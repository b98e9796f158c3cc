import { expect, screenshot, test } from './support/fixtures';

const pages = [
  { path: '/applications', heading: 'Applications', empty: 'No applications yet' },
  { path: '/pipelines', heading: 'Pipelines', empty: 'No pipelines yet' },
  { path: '/runs', heading: 'Runs', empty: 'No runs yet' },
  { path: '/settings/tokens', heading: 'Settings', empty: null },
];

for (const p of pages) {
  test(`${p.path} renders in the shell with its empty state`, async ({ adminPage: page }, info) => {
    await page.goto(p.path);
    await expect(page.getByRole('heading', { level: 1, name: p.heading })).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const item of ['Applications', 'Pipelines', 'Runs', 'Settings'])
      await expect(nav.getByRole('link', { name: item })).toBeVisible();
    await expect(page.getByTestId('current-user')).toContainText('admin');
    if (p.empty) await expect(page.getByRole('heading', { name: p.empty })).toBeVisible();
    // Nothing may overflow the viewport sideways, on a phone or a laptop.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, p.path.slice(1).replaceAll('/', '-'), info.project.name);
  });
}

test('login page', async ({ page }, info) => {
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Log in with Test SSO' })).toBeVisible();
  await screenshot(page, 'login', info.project.name);
});
