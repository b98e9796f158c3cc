import { request as newRequest, type APIRequestContext, type Page } from '@playwright/test';
import { adminPassword, apiLogin, appUrl, expect, screenshot, test } from './support/fixtures';

const DEMO = 'e2e-demo';
const SLEEPY = 'e2e-sleepy';

const PIPELINES = `
apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: ${DEMO}
spec:
  description: Result passing, a when guard and a finally task.
  params:
    - name: greeting
      type: string
      default: hello
    - name: mode
      type: string
      default: fast
      enum: [fast, thorough]
    - name: deploy
      type: string
      default: "no"
    - name: targets
      type: array
      default: [linux, darwin]
  workspaces:
    - name: shared
  tasks:
    - name: produce
      workspaces:
        - name: src
          workspace: shared
      taskSpec:
        workspaces:
          - name: src
        results:
          - name: word
        steps:
          - name: emit
            image: docker.io/library/alpine:3.20
            script: |
              echo "producing $(params.greeting) in $(params.mode) mode"
              echo "::group::details"
              echo "targets: $(params.targets[*])"
              echo "::endgroup::"
              printf keel > $(results.word.path)
    - name: consume
      params:
        - name: word
          value: $(tasks.produce.results.word)
      taskSpec:
        params:
          - name: word
        steps:
          - name: show
            image: docker.io/library/alpine:3.20
            script: |
              for i in 1 2 3; do echo "line $i got $(params.word)"; sleep 0.4; done
    - name: deploy
      runAfter: [consume]
      when:
        - input: $(params.deploy)
          operator: in
          values: ["yes"]
      taskSpec:
        steps:
          - name: ship
            image: docker.io/library/alpine:3.20
            script: echo shipping
  finally:
    - name: report
      taskSpec:
        steps:
          - name: summary
            image: docker.io/library/alpine:3.20
            script: echo "pipeline tasks $(tasks.status)"
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: ${SLEEPY}
spec:
  params:
    - name: seconds
      type: string
  tasks:
    - name: wait
      taskSpec:
        steps:
          - name: sleep
            image: docker.io/library/busybox
            script: |
              echo "sleeping $(params.seconds) s"
              sleep $(params.seconds)
`;

async function api(): Promise<APIRequestContext> {
  const ctx = await newRequest.newContext({ baseURL: appUrl() });
  expect((await apiLogin(ctx, 'admin', adminPassword())).ok()).toBe(true);
  return ctx;
}

async function expectNoSideways(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** Other specs expect empty Pipelines and Runs pages, so this spec removes what it made. */
test.afterAll(async () => {
  const ctx = await api();
  for (const pipeline of [DEMO, SLEEPY]) {
    await expect
      .poll(
        async () => (await (await ctx.get(`/api/v1/pipelineruns?pipeline=${pipeline}&status=Running`)).json()).total,
        { timeout: 45_000 },
      )
      .toBe(0);
    const { items } = (await (await ctx.get(`/api/v1/pipelineruns?pipeline=${pipeline}&limit=200`)).json()) as {
      items: { name: string }[];
    };
    for (const r of items) await ctx.delete(`/api/v1/pipelineruns/${r.name}`);
    await ctx.delete(`/api/v1/pipelines/${pipeline}`);
  }
  await ctx.dispose();
});

test('pipeline page, start dialog, live run page with logs, rerun, cancel, runs list', async ({
  adminPage: page,
}, info) => {
  test.setTimeout(150_000);
  const applied = await page.request.post('/api/v1/apply', {
    data: PIPELINES,
    headers: { 'content-type': 'application/yaml' },
  });
  expect(applied.status(), await applied.text()).toBe(201);

  // Pipelines list → pipeline page with the DAG, the finally group, the YAML and an empty history.
  await page.goto('/pipelines');
  await page.getByRole('link', { name: DEMO }).click();
  await expect(page.getByRole('heading', { level: 1, name: DEMO })).toBeVisible();
  for (const task of ['produce', 'consume', 'deploy', 'report'])
    await expect(page.getByTestId(`graph-node-${task}`)).toBeVisible();
  await expect(page.getByTestId('graph-group-finally')).toBeVisible();
  await expect(page.getByTestId('pipeline-yaml')).toContainText('printf keel > $(results.word.path)');
  await expectNoSideways(page);
  await screenshot(page, 'pipeline-page', info.project.name);

  // Start dialog: generated from params (enum → select, array → lines) and workspaces (emptyDir by default).
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel(/^greeting/)).toHaveValue('hello');
  await expect(dialog.getByLabel(/^targets/)).toHaveValue('linux\ndarwin');
  await expect(dialog.getByLabel(/^shared/)).toHaveValue('emptyDir');
  await dialog.getByLabel(/^greeting/).fill('ahoy');
  await dialog.getByLabel(/^mode/).selectOption('thorough');
  await screenshot(page, 'start-dialog', info.project.name);
  await dialog.getByRole('button', { name: 'Start run' }).click();
  await page.waitForURL(/\/runs\/e2e-demo-run-/);
  const firstRun = page.url().split('/').pop()!;

  // The DAG lights up live: produce and consume succeed, deploy is skipped by its when guard, finally runs.
  await expect(page.getByTestId('graph-node-produce')).toHaveAttribute('data-status', 'Succeeded', { timeout: 30_000 });
  await page.getByTestId('graph-node-consume').click();
  const panel = page.getByTestId('task-panel');
  await expect(panel.getByRole('heading', { name: 'consume' })).toBeVisible();
  await expect(panel.getByTestId('log-body')).toContainText('line 1 got keel', { timeout: 20_000 });
  await expect(panel.getByTestId('log-body')).toContainText('line 3 got keel', { timeout: 20_000 });
  await expect(page.getByTestId('graph-node-deploy')).toHaveAttribute('data-status', 'Skipped', { timeout: 30_000 });
  await expect(page.getByTestId('graph-node-report')).toHaveAttribute('data-status', 'Succeeded', { timeout: 30_000 });
  await expect(page.getByTestId('run-status')).toContainText('Completed');
  await expect(page.getByTestId('skipped-tasks')).toContainText('When Expressions evaluated to false');
  await expect(panel.getByRole('table', { name: 'Steps' })).toContainText('show');
  await expect(panel.getByRole('table', { name: 'Steps' })).toContainText('alpine:3.20');

  // The producer's panel shows its result and its folded ::group::.
  await page.getByTestId('graph-node-produce').click();
  await expect(panel.getByRole('heading', { name: 'produce' })).toBeVisible();
  await expect(panel).toContainText('word');
  await expect(panel.getByTestId('log-body')).toContainText('producing ahoy in thorough mode');
  await expectNoSideways(page);
  await screenshot(page, 'run-page', info.project.name);

  // Rerun creates a new run with the same params.
  await page.getByRole('button', { name: 'Rerun', exact: true }).click();
  await page.waitForURL((url) => /\/runs\/e2e-demo-run-/.test(url.pathname) && !url.pathname.endsWith(firstRun));
  await expect(page.getByTestId('graph-node-report')).toHaveAttribute('data-status', 'Succeeded', { timeout: 30_000 });

  // A required param left empty: the dialog shows the API's 400 message; then a long run, cancelled.
  await page.goto(`/pipelines/${SLEEPY}`);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Start run' }).click();
  await expect(page.getByRole('dialog').getByRole('alert')).toContainText('seconds');
  await page
    .getByRole('dialog')
    .getByLabel(/^seconds/)
    .fill('30');
  await page.getByRole('dialog').getByRole('button', { name: 'Start run' }).click();
  await page.waitForURL(/\/runs\/e2e-sleepy-run-/);
  await expect(page.getByTestId('graph-node-wait')).toHaveAttribute('data-status', 'Running', { timeout: 20_000 });
  await page.getByTestId('graph-node-wait').click();
  await expect(page.getByTestId('log-body')).toContainText('sleeping 30 s', { timeout: 20_000 });
  await page.getByRole('button', { name: /^Cancel/ }).click();
  await page.getByRole('menuitem', { name: /^Cancel \(Cancelled\)/ }).click();
  await expect(page.getByTestId('run-status')).toContainText('Cancelled', { timeout: 20_000 });
  await expect(page.getByRole('button', { name: 'Delete' })).toBeVisible();

  // Runs list across pipelines, filtered in the URL.
  await page.goto('/runs');
  const table = page.getByRole('table', { name: 'Runs' });
  await expect(table.getByRole('row')).toHaveCount(4);
  await expect(page.getByTestId('runs-total')).toContainText('of 3');
  await expectNoSideways(page);
  await screenshot(page, 'runs-list', info.project.name);
  await page.getByLabel('Status').selectOption('Cancelled');
  await expect(page).toHaveURL(/status=Cancelled/);
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table).toContainText('e2e-sleepy-run-');
});
