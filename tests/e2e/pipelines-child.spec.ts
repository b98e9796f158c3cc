import { request as newRequest, type APIRequestContext, type Page } from '@playwright/test';
import { adminPassword, apiLogin, appUrl, expect, test } from './support/fixtures';

const INNER = 'e2e-pip-inner';
const RUN = 'e2e-pip-outer-1';
const CHILD = `${RUN}-scans`;

// A stored Pipeline run as the middle task of an inline one; its result feeds the last task.
const DOCUMENTS = `
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: ${INNER}}
spec:
  params: [{name: target}]
  tasks:
    - name: scorecard
      params: [{name: target, value: $(params.target)}]
      taskSpec:
        params: [{name: target}]
        results: [{name: score}]
        steps: [{name: s, image: alpine, script: 'printf "9 for $(params.target)" > $(results.score.path)'}]
    - {name: lint, taskSpec: {steps: [{name: s, image: alpine, script: echo lint}]}}
  results: [{name: score, value: $(tasks.scorecard.results.score)}]
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: ${RUN}}
spec:
  pipelineSpec:
    tasks:
      - {name: clone, taskSpec: {steps: [{name: s, image: alpine, script: echo clone}]}}
      - name: scans
        runAfter: [clone]
        params: [{name: target, value: keelson}]
        pipelineRef: {name: ${INNER}}
      - name: notify
        params: [{name: score, value: $(tasks.scans.results.score)}]
        taskSpec:
          params: [{name: score}]
          steps: [{name: s, image: alpine, script: 'echo "score: $(params.score)"'}]
`;

async function api(): Promise<APIRequestContext> {
  const ctx = await newRequest.newContext({ baseURL: appUrl() });
  expect((await apiLogin(ctx, 'admin', adminPassword())).ok()).toBe(true);
  return ctx;
}

/** Full-page screenshots at 1280 and 390 wide (no sideways scroll), then back to the desktop size. */
async function shots(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `test-results/screenshots/child-pipeline-${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test.afterAll(async () => {
  const ctx = await api();
  // Deleting the parent deletes its child PipelineRun with it.
  await ctx.delete(`/api/v1/pipelineruns/${RUN}`);
  await ctx.delete(`/api/v1/pipelines/${INNER}`);
  await ctx.dispose();
});

test('a pipeline task that runs a Pipeline: marked in the graph, its panel links to the child run, which links back', async ({
  adminPage: page,
}) => {
  test.setTimeout(120_000);
  const ctx = await api();
  const applied = await ctx.post('/api/v1/apply', { data: DOCUMENTS, headers: { 'content-type': 'application/yaml' } });
  expect(applied.status(), await applied.text()).toBe(201);

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/runs/${RUN}`);
  await expect(page.getByTestId('run-status')).toContainText('Succeeded', { timeout: 60_000 });
  const node = page.getByTestId('graph-node-scans');
  await expect(node).toHaveAttribute('data-kind', 'pipeline');
  await expect(node).toHaveAttribute('data-status', 'Succeeded');
  await expect(node).toContainText('pipeline');
  await node.click();
  const panel = page.getByTestId('task-panel');
  await expect(panel.getByTestId('child-pipeline')).toContainText(`Runs Pipeline ${INNER} as a child PipelineRun`);
  const link = panel.getByTestId('child-run-link');
  await expect(link).toHaveText(CHILD);
  await expect(link).toHaveAttribute('href', `/runs/${CHILD}`);
  await shots(page, 'parent');

  // The child's results reached the task after it.
  await page.getByTestId('graph-node-notify').click();
  await expect(page.getByTestId('task-panel')).toContainText('score: 9 for keelson', { timeout: 15_000 });

  await page.getByTestId('graph-node-scans').click();
  await page.getByTestId('child-run-link').click();
  await page.waitForURL(`**/runs/${CHILD}`);
  await expect(page.getByTestId('run-status')).toContainText('Succeeded');
  await expect(page.getByTestId('parent-run')).toContainText(`child of ${RUN} (task scans)`);
  await expect(page.getByTestId('graph-node-scorecard')).toHaveAttribute('data-status', 'Succeeded');
  await shots(page, 'child');
  await page.getByTestId('parent-run').getByRole('link', { name: RUN }).click();
  await page.waitForURL(`**/runs/${RUN}`);

  // The runs list marks the child run with its parent.
  await page.goto('/runs');
  const mark = page.getByTestId('child-of').filter({ hasText: RUN });
  await expect(mark).toHaveText(`child of ${RUN}`);
  await expect(mark.getByRole('link', { name: RUN })).toHaveAttribute('href', `/runs/${RUN}`);
  await shots(page, 'list');

  // The API's child run names its parent as Tekton does (ownerReferences), and the parent lists it.
  const child = (await (await ctx.get(`/api/v1/pipelineruns/${CHILD}`)).json()) as {
    metadata: { ownerReferences?: { kind: string; name: string }[] };
  };
  expect(child.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'PipelineRun', name: RUN })]);
  const parent = (await (await ctx.get(`/api/v1/pipelineruns/${RUN}`)).json()) as {
    status: { childReferences?: { kind: string; name: string }[] };
  };
  expect(parent.status.childReferences).toContainEqual(expect.objectContaining({ kind: 'PipelineRun', name: CHILD }));
  await ctx.dispose();
});
