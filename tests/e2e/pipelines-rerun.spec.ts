import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request as newRequest, type APIRequestContext, type Page } from '@playwright/test';
import { adminPassword, apiLogin, appUrl, createToken, expect, test } from './support/fixtures';
import { keelsonCli } from './support/keelson-cli';

const PIPELINE = 'e2e-rerun';
const FIRST = 'e2e-rerun-first';

// a → b → c and d beside them; b fails only in the first run (it checks the run's name); finally report.
const DOCUMENTS = `
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: ${PIPELINE}}
spec:
  tasks:
    - name: a
      taskSpec:
        results: [{name: out}]
        steps: [{name: make, image: alpine, script: 'printf "made-by-$(context.pipelineRun.name)" > $(results.out.path)'}]
    - name: b
      params: [{name: from-a, value: $(tasks.a.results.out)}]
      taskSpec:
        params: [{name: from-a}]
        steps:
          - name: check
            image: alpine
            script: |
              echo "b saw $(params.from-a)"
              [ "$(context.pipelineRun.name)" != "${FIRST}" ]
    - {name: c, runAfter: [b], taskSpec: {steps: [{name: s, image: alpine, script: echo c}]}}
    - {name: d, taskSpec: {steps: [{name: s, image: alpine, script: echo d}]}}
  finally:
    - {name: report, taskSpec: {steps: [{name: s, image: alpine, script: 'echo report'}]}}
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: ${FIRST}}
spec: {pipelineRef: {name: ${PIPELINE}}}
`;

async function api(): Promise<APIRequestContext> {
  const ctx = await newRequest.newContext({ baseURL: appUrl() });
  expect((await apiLogin(ctx, 'admin', adminPassword())).ok()).toBe(true);
  return ctx;
}

async function finished(ctx: APIRequestContext, name: string): Promise<string> {
  let reason = '';
  await expect
    .poll(
      async () => {
        const run = (await (await ctx.get(`/api/v1/pipelineruns/${name}`)).json()) as {
          status: { conditions?: { status: string; reason: string }[] };
        };
        const c = run.status.conditions?.[0];
        reason = c?.reason ?? '';
        return c?.status;
      },
      { timeout: 45_000 },
    )
    .toMatch(/^(True|False)$/);
  return reason;
}

/** Full-page screenshots at 1280 and 390 wide, then back to the desktop size. */
async function shots(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `test-results/screenshots/rerun-${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test.afterAll(async () => {
  const ctx = await api();
  const { items } = (await (await ctx.get(`/api/v1/pipelineruns?pipeline=${PIPELINE}&limit=200`)).json()) as {
    items: { name: string }[];
  };
  for (const r of items) await ctx.delete(`/api/v1/pipelineruns/${r.name}`);
  await ctx.delete(`/api/v1/pipelines/${PIPELINE}`);
  await ctx.dispose();
});

test('Rerun failed tasks: reuses a and d, reruns b, c and finally; refused for a run that succeeded', async ({
  adminPage: page,
}) => {
  test.setTimeout(150_000);
  const ctx = await api();
  const applied = await ctx.post('/api/v1/apply', { data: DOCUMENTS, headers: { 'content-type': 'application/yaml' } });
  expect(applied.status(), await applied.text()).toBe(201);
  expect(await finished(ctx, FIRST)).toBe('Failed');

  // The failed run: both rerun buttons are enabled.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/runs/${FIRST}`);
  await expect(page.getByTestId('graph-node-b')).toHaveAttribute('data-status', 'Failed');
  const rerunFailed = page.getByTestId('rerun-failed');
  await expect(rerunFailed).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Rerun', exact: true })).toBeEnabled();
  await shots(page, 'failed-run');

  // It starts a new run: a and d show Reused, b, c and report run and succeed.
  await rerunFailed.click();
  await page.waitForURL((url) => url.pathname.startsWith(`/runs/${PIPELINE}-run-`));
  const second = page.url().split('/').pop()!;
  await expect(page.getByTestId('run-status')).toContainText('Succeeded', { timeout: 45_000 });
  for (const t of ['a', 'd'])
    await expect(page.getByTestId(`graph-node-${t}`)).toHaveAttribute('data-status', 'Reused');
  for (const t of ['b', 'c', 'report'])
    await expect(page.getByTestId(`graph-node-${t}`)).toHaveAttribute('data-status', 'Succeeded');
  await expect(page.getByTestId('rerun-of')).toContainText(`failed tasks rerun of ${FIRST}`);
  await page.getByTestId('graph-node-a').click();
  const panel = page.getByTestId('task-panel');
  await expect(panel.getByTestId('reused-from')).toContainText(`Reused from ${FIRST}`);
  await expect(panel.getByTestId('reused-from').getByRole('link', { name: FIRST })).toHaveAttribute(
    'href',
    `/runs/${FIRST}`,
  );
  await expect(panel).toContainText(`made-by-${FIRST}`);
  await page.getByTestId('graph-node-b').click();
  await expect(panel.getByTestId('log-body')).toContainText(`b saw made-by-${FIRST}`, { timeout: 20_000 });

  // A run that succeeded: the button is disabled and says why.
  await expect(rerunFailed).toBeDisabled();
  await expect(rerunFailed).toHaveAttribute(
    'title',
    'This run succeeded: nothing failed or was cancelled. Use Rerun to run it all again.',
  );
  // The reused task's panel, for the screenshots; its node keeps its status colour once deselected (b's too).
  await page.getByTestId('graph-node-a').click();
  await expect(panel.getByTestId('reused-from')).toBeVisible();
  await shots(page, 'reused-run');

  // The CLI: refused for the run that succeeded, accepted for the failed one.
  const { token } = await createToken(ctx, 'rerun from failed');
  const keelson = keelsonCli(() => ({
    KEELSON_CONFIG: path.join(mkdtempSync(path.join(os.tmpdir(), 'kcli-')), 'c.json'),
    KEELSON_SERVER: appUrl(),
    KEELSON_TOKEN: token,
  }));
  const refused = await keelson(['pipelinerun', 'rerun', second, '--from-failed']);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toContain('nothing failed; use rerun without --from-failed');
  const again = await keelson(['pipelinerun', 'rerun', FIRST, '--from-failed']);
  expect(again.code, again.stderr).toBe(0);
  expect(again.stdout).toMatch(new RegExp(`pipelinerun/${PIPELINE}-run-\\w+ created \\(rerun of the failed tasks`));
  const third = /pipelinerun\/(\S+) created/.exec(again.stdout)![1];
  expect(await finished(ctx, third)).toBe('Succeeded');
  await ctx.dispose();
});
