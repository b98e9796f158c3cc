import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request as newRequest, type APIRequestContext, type Page } from '@playwright/test';
import { adminPassword, apiLogin, appUrl, createToken, expect, test } from './support/fixtures';
import { keelsonCli } from './support/keelson-cli';

const PIPELINE = 'e2e-concurrency';
const RUNS = ['e2e-conc-first', 'e2e-conc-second', 'e2e-conc-third'];

// One at a time per branch: the first run holds the slot for a while, the others wait in the queue.
const DOCUMENTS = `
apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: ${PIPELINE}
  annotations:
    keelson.dev/concurrency: "1"
    keelson.dev/concurrency-key: $(params.branch)
spec:
  params: [{name: branch, default: main}]
  tasks:
    - {name: build, taskSpec: {steps: [{name: s, image: alpine, script: 'sleep 60'}]}}
${RUNS.map(
  (name) => `---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: ${name}}
spec: {pipelineRef: {name: ${PIPELINE}}, params: [{name: branch, value: main}]}
`,
).join('')}`;

async function api(): Promise<APIRequestContext> {
  const ctx = await newRequest.newContext({ baseURL: appUrl() });
  expect((await apiLogin(ctx, 'admin', adminPassword())).ok()).toBe(true);
  return ctx;
}

/** Full-page screenshots at 1280 and 390 wide (no sideways scrolling), then back to the desktop size. */
async function shots(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `test-results/screenshots/concurrency-${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test.afterAll(async () => {
  const ctx = await api();
  for (const name of RUNS) await ctx.post(`/api/v1/pipelineruns/${name}/cancel`, { data: {} });
  await expect
    .poll(
      async () => {
        const { items } = (await (await ctx.get(`/api/v1/pipelineruns?pipeline=${PIPELINE}&limit=50`)).json()) as {
          items: { completedAt: string | null }[];
        };
        return items.every((r) => r.completedAt);
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  for (const name of RUNS) await ctx.delete(`/api/v1/pipelineruns/${name}`);
  await ctx.delete(`/api/v1/pipelines/${PIPELINE}`);
  await ctx.dispose();
});

test('Concurrency group: queued runs show why they wait in the runs list, the run page and the CLI', async ({
  adminPage: page,
}) => {
  test.setTimeout(120_000);
  const ctx = await api();
  const applied = await ctx.post('/api/v1/apply', { data: DOCUMENTS, headers: { 'content-type': 'application/yaml' } });
  expect(applied.status(), await applied.text()).toBe(201);

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/runs?pipeline=${PIPELINE}`);
  const reasons = page.getByTestId('queued-reason');
  await expect(reasons).toHaveCount(2);
  await expect(reasons.first()).toContainText(`Waiting for ${RUNS[0]} (group ${PIPELINE}/main, 1 at a time)`);
  await expect(page.getByText(`behind ${RUNS[1]} in the queue`)).toBeVisible();
  await shots(page, 'runs-list');

  await page.goto(`/pipelines/${PIPELINE}`);
  await expect(page.getByTestId('pipeline-concurrency')).toHaveText(
    '1 run at a time per $(params.branch); the others queue',
  );
  await expect(page.getByTestId('queued-reason')).toHaveCount(2);
  await shots(page, 'pipeline');

  await page.goto(`/runs/${RUNS[1]}`);
  await expect(page.getByTestId('run-status')).toContainText('Queued');
  await expect(page.getByTestId('run-message')).toContainText(`Queued: Waiting for ${RUNS[0]}`);
  // A queued run may be cancelled or deleted (it leaves the queue; it never started).
  await expect(page.getByRole('button', { name: 'Delete' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Cancel ▾' })).toBeVisible();
  await shots(page, 'queued-run');

  const { token } = await createToken(ctx, 'concurrency');
  const keelson = keelsonCli(() => ({
    KEELSON_CONFIG: path.join(mkdtempSync(path.join(os.tmpdir(), 'kcli-')), 'c.json'),
    KEELSON_SERVER: appUrl(),
    KEELSON_TOKEN: token,
  }));
  const list = await keelson(['pipelinerun', 'list', '--pipeline', PIPELINE]);
  expect(list.code, list.stderr).toBe(0);
  expect(list.stdout).toContain(`Queued: Waiting for ${RUNS[0]} (group ${PIPELINE}/main, 1 at a time)`);
  const describe = await keelson(['pipelinerun', 'describe', RUNS[2]]);
  expect(describe.stdout).toContain('Status:   Queued (Unknown)');
  expect(describe.stdout).toContain(`behind ${RUNS[1]} in the queue`);

  // Cancelling the first run frees the slot: the second starts, the third now waits for it.
  const cancelled = await ctx.post(`/api/v1/pipelineruns/${RUNS[0]}/cancel`, { data: {} });
  expect(cancelled.ok(), await cancelled.text()).toBe(true);
  await page.goto(`/runs/${RUNS[2]}`);
  await expect(page.getByTestId('run-message')).toContainText(`Queued: Waiting for ${RUNS[1]}`, { timeout: 30_000 });

  // Deleting the queued third run from its page takes it out of the queue.
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(page).toHaveURL(/\/runs$/);
  expect((await ctx.get(`/api/v1/pipelineruns/${RUNS[2]}`)).status()).toBe(404);
  await ctx.dispose();
});
