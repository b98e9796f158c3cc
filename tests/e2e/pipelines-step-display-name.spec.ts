import { expect, screenshot, test } from './support/fixtures';

const PIPELINE = (name: string) => `
apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: ${name}
spec:
  tasks:
    - name: build
      taskSpec:
        steps:
          - name: compile
            displayName: Compile the service for release
            image: docker.io/library/golang:1.23
            script: echo compiled
          - name: plain-step
            image: docker.io/library/alpine:3.20
            script: echo plain
`;

/** A step's displayName (Tekton's) is what the Steps table shows first; its name stays visible below it. */
for (const [width, height] of [
  [1280, 800],
  [390, 844],
] as const) {
  test(`the run page shows a step's displayName and keeps its name (${width} px)`, async ({ adminPage: page }) => {
    const name = `e2e-display-${width}`;
    await page.setViewportSize({ width, height });
    const applied = await page.request.post('/api/v1/apply', {
      data: PIPELINE(name),
      headers: { 'content-type': 'application/yaml' },
    });
    expect(applied.status(), await applied.text()).toBe(201);
    const started = await page.request.post(`/api/v1/pipelines/${name}/start`, { data: {} });
    expect(started.status()).toBe(201);
    const run = ((await started.json()) as { name: string }).name;
    try {
      await page.goto(`/runs/${run}`);
      await expect(page.getByTestId('run-status')).toContainText('Succeeded', { timeout: 30_000 });
      await page.getByTestId('graph-node-build').click();
      const steps = page.getByRole('table', { name: 'Steps' });
      const compile = steps.getByRole('row').filter({ hasText: 'Compile the service for release' });
      await expect(compile).toHaveCount(1);
      await expect(compile.getByTitle('Step name')).toHaveText('compile');
      // A step without a displayName shows its name alone.
      await expect(steps.getByRole('row').filter({ hasText: 'plain-step' }).getByTitle('Step name')).toHaveCount(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
        0,
      );
      await page.getByTestId('task-panel').scrollIntoViewIfNeeded();
      await screenshot(page, 'run-step-display-name', String(width));
    } finally {
      await expect
        .poll(async () => (await page.request.delete(`/api/v1/pipelineruns/${run}`)).status(), { timeout: 30_000 })
        .toBe(204);
      await page.request.delete(`/api/v1/pipelines/${name}`);
    }
  });
}
