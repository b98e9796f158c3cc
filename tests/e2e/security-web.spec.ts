import { request as newRequest, type APIRequestContext } from '@playwright/test';
import { adminPassword, apiLogin, appUrl, createToken, expect, screenshot, test } from './support/fixtures';

/**
 * Issue 10, web holes against the running server: dashboard data without a session (RSC requests, server
 * actions, a logged-out cookie), the login limit under other path spellings, CSRF shapes, and the security
 * headers with the app still working under its CSP.
 */
const MARKER = `step-script-marker-${Date.now().toString(36)}`;
const PIPELINE = 'e2e-sec-web';
const YAML = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: ${PIPELINE} }
spec:
  tasks:
    - name: only
      taskSpec:
        steps:
          - name: say
            image: alpine
            script: echo ${MARKER}
`;
const PAGES = [
  '/',
  '/applications',
  '/applications/some-app',
  '/pipelines',
  `/pipelines/${PIPELINE}`,
  '/runs',
  '/runs/some-run',
  '/settings',
  '/settings/tokens',
  '/settings/clusters',
  '/settings/repositories',
  '/settings/webhooks',
  '/settings/triggers',
];
/** The Next-Router-State-Tree a client on `path` sends with its next navigation (Next 16's shape). */
function stateTree(path: string): string {
  const parts = path.split('?')[0].split('/').filter(Boolean);
  const dynamic = (i: number) => i === 1 && ['pipelines', 'runs', 'applications'].includes(parts[0]);
  let node: unknown[] = ['__PAGE__', {}, null, null, 0];
  for (let i = parts.length - 1; i >= 0; i--)
    node = [dynamic(i) ? ['name', parts[i], 'd'] : parts[i], { children: node }, null, null, 0];
  return encodeURIComponent(
    JSON.stringify(['', { children: ['(dashboard)', { children: node }, null, null, 0] }, null, null, 16]),
  );
}

let admin: APIRequestContext;
let runName: string;

test.beforeAll(async () => {
  admin = await newRequest.newContext({ baseURL: appUrl() });
  expect((await apiLogin(admin, 'admin', adminPassword())).ok()).toBe(true);
  const applied = await admin.post('/api/v1/apply', { data: YAML, headers: { 'content-type': 'application/yaml' } });
  expect(applied.status(), await applied.text()).toBe(201);
  const started = await admin.post(`/api/v1/pipelines/${PIPELINE}/start`, { data: {} });
  expect(started.status()).toBe(201);
  runName = ((await started.json()) as { name: string }).name;
});

test.afterAll(async () => {
  await admin.delete(`/api/v1/pipelineruns/${runName}`);
  await admin.delete(`/api/v1/pipelines/${PIPELINE}`);
  await admin.dispose();
});

const runCount = async () =>
  ((await (await admin.get(`/api/v1/pipelineruns?pipeline=${PIPELINE}`)).json()) as { items: unknown[] }).items.length;

test('hole 5: no dashboard data without a session: documents, RSC requests and server actions', async ({
  adminPage: page,
  request,
}) => {
  // The RSC request the browser makes for a client navigation from the pipelines list to the pipeline page.
  await page.goto('/pipelines');
  const rscRequests: { url: string; tree?: string }[] = [];
  page.on('request', (r) => {
    if (r.url().includes(`/pipelines/${PIPELINE}`) && r.headers()['rsc'] === '1')
      rscRequests.push({ url: r.url(), tree: r.headers()['next-router-state-tree'] });
  });
  await page.getByRole('link', { name: PIPELINE }).click();
  await expect(page).toHaveURL(new RegExp(`/pipelines/${PIPELINE}$`));
  // The navigation request proper (not the metadata-only one), which carries the client's layout tree.
  const browserMade = rscRequests.find((r) => r.tree && decodeURIComponent(r.tree).includes('(dashboard)'));
  const captured = { url: () => browserMade?.url ?? `${appUrl()}/pipelines/${PIPELINE}?_rsc=abc` };
  // What the client sends as it leaves the pipelines list: its current tree.
  const headers = { RSC: '1', 'Next-Router-State-Tree': browserMade?.tree ?? stateTree('/pipelines') };
  const seen = await page.request.get(captured.url(), { headers });
  expect(await seen.text(), 'the marker is in the payload for a logged-in user').toContain(MARKER);
  const replay = await request.get(captured.url(), { headers, maxRedirects: 0 });
  expect(replay.status()).toBe(307);
  expect(await replay.text()).not.toContain(MARKER);
  expect(await (await request.get(captured.url(), { headers })).text()).not.toContain(MARKER);

  for (const path of PAGES) {
    const rsc = await request.get(`${path}${path.includes('?') ? '&' : '?'}_rsc=x`, {
      headers: { RSC: '1', 'Next-Router-State-Tree': stateTree(path) },
      maxRedirects: 0,
    });
    expect([307, 401], `${path} (RSC)`).toContain(rsc.status());
    if (rsc.status() === 307) expect(rsc.headers().location).toMatch(/^\/login|\/login/);
    expect(await rsc.text()).not.toContain(MARKER);
    const followed = await request.get(`${path}?_rsc=y`, {
      headers: { RSC: '1', 'Next-Router-State-Tree': stateTree(path) },
    });
    expect(await followed.text()).not.toContain(MARKER);
    const doc = await request.get(path, { maxRedirects: 0 });
    expect(doc.status(), path).toBe(307);
    expect(await doc.text()).not.toContain(MARKER);
    const action = await request.post(path, {
      headers: {
        'Next-Action': '7f'.repeat(21),
        'content-type': 'text/plain;charset=UTF-8',
        accept: 'text/x-component',
      },
      data: '[]',
      maxRedirects: 0,
    });
    expect(action.status(), `${path} (server action)`).toBe(401);
    expect(await action.text()).not.toContain(MARKER);
  }
});

test('hole 5: a logged-out session cookie (genuine, but its session row is gone) gets no RSC data either', async () => {
  const ctx = await newRequest.newContext({ baseURL: appUrl() });
  expect((await apiLogin(ctx, 'admin', adminPassword())).ok()).toBe(true);
  const cookies = (await ctx.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const { csrfToken } = (await (await ctx.get('/api/auth/csrf')).json()) as { csrfToken: string };
  expect((await ctx.post('/api/auth/signout', { form: { csrfToken, json: 'true' } })).ok()).toBe(true);
  const stale = await newRequest.newContext({ baseURL: appUrl(), extraHTTPHeaders: { cookie: cookies } });
  for (const path of [`/pipelines/${PIPELINE}`, '/pipelines', '/runs', `/runs/${runName}`]) {
    const res = await stale.get(`${path}?_rsc=z`, { headers: { RSC: '1', 'Next-Router-State-Tree': stateTree(path) } });
    expect(await res.text(), path).not.toContain(MARKER);
  }
  await stale.dispose();
  await ctx.dispose();
});

test('hole 6: the login limit holds under other spellings of the credentials callback', async () => {
  const ctx = await newRequest.newContext({ baseURL: appUrl() });
  const { csrfToken } = (await (await ctx.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const attempt = (path: string) =>
    ctx.post(path, { form: { username: 'sec-victim', password: 'guess', csrfToken, json: 'true' }, maxRedirects: 0 });
  const spellings = [
    '/api/auth/callback/credential%73',
    '/api/auth/callback/%63redentials',
    '/api/auth/callback/credentials',
    '/api/auth/callback/credentials?x=/callback/y',
  ];
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++) statuses.push((await attempt(spellings[i % spellings.length])).status());
  expect(
    statuses.every((s) => s === 401),
    statuses.join(),
  ).toBe(true);
  for (const path of spellings) {
    const res = await attempt(path);
    expect(res.status(), path).toBe(429);
    expect(res.headers()['retry-after']).toMatch(/^\d+$/);
  }
  await ctx.dispose();
});

test('hole 7: cookie-authenticated cross-site requests are refused, nothing is stored or run; bearer tokens work from anywhere', async () => {
  const evil = (name: string) => YAML.replaceAll(PIPELINE, name);
  const shapes: [string, Record<string, string>][] = [
    [
      'text/plain from evil.example',
      { 'content-type': 'text/plain', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    ],
    ['YAML with Origin evil.example', { 'content-type': 'application/yaml', origin: 'https://evil.example' }],
    ['YAML with Sec-Fetch-Site cross-site', { 'content-type': 'application/yaml', 'sec-fetch-site': 'cross-site' }],
    ['form without Origin', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['text/plain without Origin', { 'content-type': 'text/plain' }],
  ];
  for (const [i, [label, headers]] of shapes.entries()) {
    const res = await admin.post('/api/v1/apply', { data: evil(`e2e-csrf-${i}`), headers });
    expect(res.status(), label).toBe(403);
    expect((await res.json()).error.code).toBe('FORBIDDEN');
    expect((await admin.get(`/api/v1/pipelines/e2e-csrf-${i}`)).status(), label).toBe(404);
  }

  const before = await runCount();
  for (const origin of ['https://evil.example', appUrl()]) {
    const form = { 'content-type': 'application/x-www-form-urlencoded', origin };
    expect((await admin.post(`/api/v1/pipelineruns/${runName}/rerun`, { headers: form })).status()).toBe(403);
    expect((await admin.post('/api/v1/applications/no-such-app/sync', { headers: form })).status()).toBe(403);
  }
  expect(await runCount()).toBe(before);

  const { token } = await createToken(admin, 'e2e-sec-web');
  const anywhere = await newRequest.newContext({ baseURL: appUrl() });
  const res = await anywhere.post('/api/v1/apply', {
    data: evil('e2e-bearer-ok'),
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'text/plain',
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  expect(
    (
      await anywhere.delete('/api/v1/pipelines/e2e-bearer-ok', {
        headers: { authorization: `Bearer ${token}`, origin: 'https://evil.example' },
      })
    ).status(),
  ).toBeLessThan(300);
  await anywhere.dispose();
});

test('security headers on pages and API answers', async ({ request }) => {
  for (const path of ['/login', '/applications', `/pipelines/${PIPELINE}`]) {
    const res = await admin.get(path);
    expect(res.status(), path).toBe(200);
    const h = res.headers();
    expect(h['content-security-policy'], path).toMatch(/frame-ancestors 'none'/);
    expect(h['content-security-policy']).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(h['content-security-policy']).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['x-frame-options']).toBe('DENY');
    expect(h['referrer-policy']).toBe('same-origin');
    const nonce = /'nonce-([^']+)'/.exec(h['content-security-policy'])![1];
    expect(await res.text()).toContain(`nonce="${nonce}"`);
  }
  const api = await request.get('/api/healthz');
  expect(api.headers()['content-security-policy']).toMatch(/default-src 'none'/);
  expect(api.headers()['x-content-type-options']).toBe('nosniff');
  const a = (await request.get('/login')).headers()['content-security-policy'];
  const b = (await request.get('/login')).headers()['content-security-policy'];
  expect(a).not.toBe(b); // a fresh nonce per response
});

test('the dashboard works in the browser under the CSP (no violations, client navigation works)', async ({
  adminPage: page,
}, info) => {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to|nonce/i.test(m.text())) problems.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
  await page.goto('/applications');
  await expect(page.getByTestId('current-user')).toContainText('@admin');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pipelines' }).click();
  await expect(page).toHaveURL(/\/pipelines$/);
  await expect(page.getByRole('link', { name: PIPELINE })).toBeVisible();
  await page.getByRole('link', { name: PIPELINE }).click();
  await expect(page).toHaveURL(new RegExp(`/pipelines/${PIPELINE}$`));
  await screenshot(page, 'sec-web-pipeline', info.project.name);
  await page.goto('/runs');
  await expect(page.getByText(runName).first()).toBeVisible();
  await screenshot(page, 'sec-web-runs', info.project.name);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/pipelines/${PIPELINE}`);
  await screenshot(page, 'sec-web-pipeline-390', info.project.name);
  await page.goto('/settings/tokens');
  await screenshot(page, 'sec-web-tokens-390', info.project.name);
  await page.goto('/login');
  expect(problems).toEqual([]);
});
