import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminPassword, appUrl, expect, test } from './support/fixtures';

/**
 * Request headers never choose where the server goes. The applications pages fetched
 * `${X-Forwarded-Proto}://${X-Forwarded-Host ?? Host}${path}` with the viewer's cookie, so
 * `X-Forwarded-Proto: http://169.254.169.254/latest/meta-data/#` made the server fetch any URL and put the
 * answer in the page. And after login, `/login?callbackUrl=/%5Cevil.example` sent the browser to evil.example.
 */
let listener: Server;
let port: number;
const received: { method?: string; url?: string; headers: Record<string, unknown> }[] = [];

test.beforeAll(async () => {
  listener = createServer((req, res) => {
    received.push({ method: req.method, url: req.url, headers: req.headers });
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end('{"items":[{"provider":"github","configured":true,"updatedBy":"STOLEN"}],"total":1}');
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as AddressInfo).port;
});
test.afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));

const forged = (): Record<string, string>[] => [
  { 'x-forwarded-proto': `http://127.0.0.1:${port}/latest/meta-data/#` },
  { 'x-forwarded-proto': 'http', 'x-forwarded-host': `127.0.0.1:${port}` },
  { host: `127.0.0.1:${port}` },
];

test('forged X-Forwarded-Proto/Host or Host headers make the server fetch nothing, and the pages still render their data', async ({
  adminPage: page,
}) => {
  const put = await page.request.put('/api/v1/settings/webhooks/github', { data: { secret: 'e2e-forwarded-secret' } });
  expect(put.status()).toBe(200);
  try {
    for (const headers of forged()) {
      for (const path of ['/applications', '/applications?search=x', '/applications/nope', '/settings/webhooks']) {
        for (const rsc of [{}, { rsc: '1' }] as Record<string, string>[]) {
          const res = await page.request.get(path, { headers: { ...headers, ...rsc }, maxRedirects: 0 });
          expect(received, `${path} ${JSON.stringify(headers)} made the server call the test's listener`).toEqual([]);
          expect(res.status(), `${path} ${JSON.stringify(headers)}`).toBeLessThan(500);
          expect(await res.text()).not.toContain('STOLEN');
        }
      }
      // The webhooks page rendered the real state of the provider on the server.
      const html = await (await page.request.get('/settings/webhooks', { headers })).text();
      expect(html).toContain('Secret set');
    }
    expect(received).toEqual([]);
  } finally {
    await page.request.delete('/api/v1/settings/webhooks/github');
  }
});

test.describe('after login the browser stays on Keelson, whatever callbackUrl says', () => {
  for (const callbackUrl of [
    '/%5Cevil.example',
    '/%5C%5Cevil.example',
    '//evil.example',
    'https://evil.example/',
    '/%09/evil.example',
    '/.//evil.example',
  ]) {
    test(`callbackUrl=${callbackUrl}`, async ({ page }) => {
      const leaks: string[] = [];
      await page.context().route(
        (url) => url.hostname.endsWith('evil.example'),
        async (route) => {
          leaks.push(route.request().url());
          await route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>evil</h1>' });
        },
      );
      await page.goto(`/login?callbackUrl=${callbackUrl}`);
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill(adminPassword());
      await page.getByRole('button', { name: 'Log in', exact: true }).click();
      await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      expect(new URL(page.url()).origin).toBe(appUrl());
      expect(leaks).toEqual([]);
    });
  }

  test('a same-origin callbackUrl is kept', async ({ page }) => {
    await page.goto('/login?callbackUrl=%2Fsettings%2Ftokens');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(adminPassword());
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await expect(page).toHaveURL(`${appUrl()}/settings/tokens`);
  });
});
