import { SSO_USER, VIEWER_USER } from './support/oidc-server';
import { ssoLogin } from './support/sso-login';
import { adminPassword, appUrl, expect, test } from './support/fixtures';

test('an anonymous visit to a page redirects to the login page', async ({ page }) => {
  await page.goto('/pipelines');
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('button', { name: 'Log in', exact: true })).toBeVisible();
});

test('a wrong password shows a generic message and stays on the login page', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(page.locator('.alert-error')).toHaveText('Invalid credentials.');
  await expect(page).toHaveURL(/\/login/);
});

test('admin logs in with the password, sees the dashboard, and logs out', async ({ page }, info) => {
  await page.goto('/login');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(adminPassword());
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(page).toHaveURL(/\/applications/);
  await expect(page.getByTestId('current-user')).toContainText('@admin');
  await page.screenshot({ path: `test-results/screenshots/${info.project.name}-after-login.png` });
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login/);
  // The session is gone server-side: the dashboard sends us back to login.
  await page.goto('/runs');
  await expect(page).toHaveURL(/\/login/);
});

test('SSO: log in at the real OIDC provider and land on the dashboard as that user', async ({ page }, info) => {
  await page.goto('/login');
  await page.screenshot({ path: `test-results/screenshots/${info.project.name}-login.png` });
  await ssoLogin(page, 'sam-subject');
  await expect(page).toHaveURL(new RegExp(`^${appUrl()}/applications`));
  await expect(page.getByTestId('current-user')).toContainText(SSO_USER.name);
  await expect(page.getByTestId('current-user')).toContainText(`@${SSO_USER.preferred_username}`);
  const me = await (await page.context().request.get('/api/v1/me')).json();
  expect(me).toMatchObject({ username: 'sam', groups: SSO_USER.groups, role: 'user', roles: ['role:readonly'] });
});

test('SSO: a user of a read-only group gets role:readonly from policy.default, groups from the claims', async ({
  page,
}) => {
  await ssoLogin(page, 'viewer');
  await expect(page).toHaveURL(new RegExp(`^${appUrl()}/applications`));
  const me = await (await page.context().request.get('/api/v1/me')).json();
  expect(me).toMatchObject({ username: VIEWER_USER.preferred_username, groups: ['viewers'], roles: ['role:readonly'] });
  const canI = await page.context().request.get('/api/v1/account/can-i?resource=accounts&action=update&object=bob');
  expect(await canI.json()).toMatchObject({ answer: 'no' });
});

test('SSO: KEELSON_OIDC_ALLOWED_GROUPS refuses a user outside them, with a clear message and no session', async ({
  page,
}, info) => {
  await ssoLogin(page, 'outsider');
  await expect(page).toHaveURL(/\/login\?.*error=AccessDenied/);
  await expect(page.locator('.alert-error')).toContainText('not in a group allowed to sign in');
  await page.screenshot({ path: `test-results/screenshots/${info.project.name}-login-refused-group.png` });
  expect((await page.context().request.get('/api/v1/me')).status()).toBe(401);
});
