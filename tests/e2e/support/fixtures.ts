import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';

export const appUrl = () => process.env.KEELSON_E2E_URL!;
export const adminPassword = () => process.env.KEELSON_E2E_ADMIN_PASSWORD!;

/** Logs in through next-auth's credentials endpoint; the session cookie lands in the request's cookie jar. */
export async function apiLogin(request: APIRequestContext, username: string, password: string) {
  const { csrfToken } = (await (await request.get(`${appUrl()}/api/auth/csrf`)).json()) as { csrfToken: string };
  return request.post(`${appUrl()}/api/auth/callback/credentials`, {
    form: { username, password, csrfToken, callbackUrl: '/', json: 'true' },
    maxRedirects: 0,
  });
}

export async function createToken(request: APIRequestContext, name: string): Promise<{ id: string; token: string }> {
  const res = await request.post(`${appUrl()}/api/v1/tokens`, { data: { name } });
  expect(res.status()).toBe(201);
  return (await res.json()) as { id: string; token: string };
}

export async function screenshot(page: Page, name: string, projectName: string) {
  await page.screenshot({ path: `test-results/screenshots/${projectName}-${name}.png`, fullPage: true });
}

/** A page already signed in as admin. */
export const test = base.extend<{ adminPage: Page }>({
  adminPage: async ({ page }, use) => {
    const res = await apiLogin(page.context().request, 'admin', adminPassword());
    expect(res.ok()).toBe(true);
    await use(page);
  },
});
export { expect };
