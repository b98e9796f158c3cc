import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/**
 * Logs `page` in through the real OIDC provider as the user that login name gives (oidc-server.ts ssoUserFor:
 * `viewer` → Vera of group viewers, `outsider` → Olive, refused by KEELSON_OIDC_ALLOWED_GROUPS, else Sam).
 * Waits for the provider's login form only; the caller checks where the browser lands.
 */
export async function ssoLogin(page: Page, login: string): Promise<void> {
  await page.goto('/login');
  await page.getByRole('button', { name: 'Log in with Test SSO' }).click();
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/interaction\//);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('anything');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  const consent = page.getByRole('button', { name: 'Continue' });
  if (await consent.isVisible({ timeout: 3000 }).catch(() => false)) await consent.click();
}
