import { expect, screenshot, test } from './support/fixtures';

const NAME = 'e2e-phone';

const PIPELINE = `
apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: ${NAME}
spec:
  tasks:
    - name: build-the-thing
      taskSpec:
        steps:
          - name: compile
            image: docker.io/library/golang:1.23-bookworm-with-a-long-tag
            script: echo "a long log line that should wrap inside the log panel instead of widening the page on a phone screen"
    - name: test-the-thing
      runAfter: [build-the-thing]
      taskSpec:
        steps:
          - name: unit
            image: docker.io/library/node:22
            script: echo tested
  finally:
    - name: notify
      taskSpec:
        steps:
          - name: send
            image: docker.io/library/alpine:3.20
            script: echo done
`;

/** Pipeline page, run page with a task open and the runs list fit a phone: nothing overflows sideways. */
test('pipeline and run pages fit a phone', async ({ adminPage: page }, info) => {
  const applied = await page.request.post('/api/v1/apply', {
    data: PIPELINE,
    headers: { 'content-type': 'application/yaml' },
  });
  expect(applied.status(), await applied.text()).toBe(201);
  const started = await page.request.post(`/api/v1/pipelines/${NAME}/start`, { data: {} });
  expect(started.status()).toBe(201);
  const run = ((await started.json()) as { name: string }).name;

  try {
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

    await page.goto(`/pipelines/${NAME}`);
    await expect(page.getByTestId('graph-node-notify')).toBeVisible();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, 'pipeline-page', info.project.name);

    await page.goto(`/runs/${run}`);
    await expect(page.getByTestId('graph-node-notify')).toHaveAttribute('data-status', 'Succeeded', {
      timeout: 30_000,
    });
    await expect(page.getByTestId('run-status')).toContainText('Succeeded');
    await page.getByTestId('graph-node-build-the-thing').click();
    await expect(page.getByTestId('log-body')).toContainText('a long log line');
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, 'run-page', info.project.name);

    await page.goto('/runs');
    await expect(page.getByRole('table', { name: 'Runs' })).toContainText(run);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, 'runs-list', info.project.name);
  } finally {
    // shell.spec expects empty Pipelines and Runs pages.
    await expect
      .poll(async () => (await page.request.delete(`/api/v1/pipelineruns/${run}`)).status(), { timeout: 30_000 })
      .toBe(204);
    await page.request.delete(`/api/v1/pipelines/${NAME}`);
  }
});
