import { apiLogin, appUrl, expect, test } from './support/fixtures';
import { logsApp, SHOTS } from './support/logs-app';
import { kwokWeb, settings, solo } from './support/log-workloads';

/**
 * The Logs tab of the resource panel against the real API, on kwok pods (no container ever runs there): the pod
 * picker from /pods (newest first), a bare Pod without one, no tab for a ConfigMap, the state the API gives for a
 * container without a log, and a user without `logs, get` (403). Real logs: applications-logs-real-node.spec.ts.
 */
const APP = 'logs-kwok';
const NS = APP;
const demo = logsApp({
  app: APP,
  files: { 'deploy/web.yaml': kwokWeb, 'deploy/solo.yaml': solo, 'deploy/settings.yaml': settings },
  ready: async (h) => {
    await expect.poll(async () => (await h.podsOf('Deployment', 'apps', 'web')).length, { timeout: 60_000 }).toBe(2);
  },
});
const podsOf = (kind: string, group: string, name: string) => demo.podsOf(kind, group, name);
const openLogs: typeof demo.openLogs = (page, kind, name) => demo.openLogs(page, kind, name);

test('a kwok Deployment: the pod picker lists its pods from the API; a container that never ran shows the API’s answer', async ({
  adminPage: page,
}) => {
  const pods = await podsOf('Deployment', 'apps', 'web');
  const panel = await openLogs(page, 'Deployment', 'web');
  const picker = panel.getByRole('combobox', { name: 'Pod' });
  // Newest first, as the API lists them; the first is picked.
  await expect(picker).toHaveValue(pods[0].name);
  await expect(picker.locator('option')).toHaveText(pods.map((p) => new RegExp(`^${p.name} · (Running|Pending)`)));
  await expect(panel.getByRole('combobox', { name: 'Container' })).toHaveValue('main');
  await expect(panel.getByRole('checkbox', { name: 'Previous container' })).toBeDisabled();
  // Picking the other pod asks for its log.
  const other = page.waitForRequest((r) => r.url().includes('/logs?') && r.url().includes(`podName=${pods[1].name}`));
  await picker.selectOption(pods[1].name);
  await other;
  await picker.selectOption(pods[0].name);

  // What the API answers for this pod, read the same way (a kwok container has no log on any kubelet).
  const q = new URLSearchParams({
    namespace: NS,
    kind: 'Deployment',
    group: 'apps',
    resourceName: 'web',
    podName: pods[0].name,
    container: 'main',
    follow: 'false',
    timestamps: 'true',
  });
  const res = await demo.api.get(`/api/v1/applications/${APP}/logs?${q}`);
  const body = await res.text();
  const status = panel.getByTestId('pod-log-status');
  if (!res.ok()) {
    const message = (JSON.parse(body) as { error: { message: string } }).error.message;
    await expect(panel.getByRole('alert')).toContainText(message);
    await expect(status).toHaveAttribute('data-phase', 'error');
  } else if (body.includes('event: error')) {
    // The UI follows (follow=true in the URL the message may quote); the rest of the message is the same.
    const message = (JSON.parse(/event: error\ndata: (.*)\n/.exec(body)![1]) as { message: string }).message;
    const alert = panel.getByRole('alert');
    for (const part of message.split(/\?[^"\s]*/)) await expect(alert).toContainText(part);
    await expect(status).toHaveAttribute('data-phase', 'error');
  } else {
    expect(body).not.toContain('event: log');
    await expect(panel.getByTestId('pod-log-lines')).toContainText('No log lines yet');
  }
  await page.screenshot({ path: `${SHOTS}/pod-logs-kwok.png` });

  // A bare Pod has its tab without a pod picker; a ConfigMap has no Logs tab.
  await panel.getByRole('button', { name: 'Close panel' }).click();
  await page.getByTestId('tree-node-Pod-solo').click();
  await expect(panel.getByRole('heading', { name: 'solo' })).toBeVisible();
  await panel.getByRole('tab', { name: 'Logs' }).click();
  await expect(panel.getByRole('combobox', { name: 'Container' })).toHaveValue('app');
  await expect(panel.getByRole('combobox', { name: 'Pod' })).toHaveCount(0);
  await panel.getByRole('button', { name: 'Close panel' }).click();
  await page.getByTestId('tree-node-ConfigMap-settings').click();
  await expect(panel.getByRole('heading', { name: 'settings' })).toBeVisible();
  await expect(panel.getByRole('tab', { name: 'Logs' })).toHaveCount(0);
});

test('without `logs, get` the tab says which permission is missing', async ({ browser }) => {
  const before = ((await (await demo.api.get('/api/v1/settings/rbac')).json()) as { configMap: { data: object } })
    .configMap;
  const name = `e2e-nologs-${Date.now()}`;
  const password = 'nologs-password-1';
  expect((await demo.api.post('/api/v1/accounts', { data: { name, password } })).status()).toBe(201);
  const put = await demo.api.put('/api/v1/settings/rbac', {
    data: {
      ...before,
      // No default role (role:readonly would grant `logs, get`): the account may read applications, nothing more.
      data: { 'policy.default': '', 'policy.csv': `p, ${name}, applications, get, */*, allow\n` },
    },
  });
  expect(put.status(), await put.text()).toBeLessThan(300);
  const context = await browser.newContext({ baseURL: appUrl(), viewport: { width: 1440, height: 900 } });
  try {
    expect((await apiLogin(context.request, name, password)).ok()).toBe(true);
    const viewer = await context.newPage();
    const panel = await openLogs(viewer, 'Deployment', 'web');
    await expect(panel.getByRole('alert')).toHaveText(`You need the logs, get permission on default/${APP}.`);
    await viewer.screenshot({ path: `${SHOTS}/pod-logs-forbidden.png` });
  } finally {
    await context.close();
    await demo.api.put('/api/v1/settings/rbac', { data: before });
    await demo.api.delete(`/api/v1/accounts/${name}`);
  }
});
