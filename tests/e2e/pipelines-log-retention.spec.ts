import pg from 'pg';
import { runningEmbeddedUrl } from '../../lib/adapters/db/embedded-postgres';
import { expect, test } from './support/fixtures';

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
            image: docker.io/library/alpine:3.20
            script: echo compiled
`;

/** What housekeeping does past KEELSON_LOG_RETENTION_DAYS (tests/integration/run-retention.test.ts runs the real one). */
async function removeLogsByRetention(run: string) {
  const client = new pg.Client({ connectionString: await runningEmbeddedUrl(process.env.KEELSON_E2E_DATA_DIR!) });
  await client.connect();
  try {
    await client.query(
      `DELETE FROM log_chunks WHERE task_run_id IN (SELECT t.id FROM task_runs t JOIN pipeline_runs r ON r.id = t.pipeline_run_id WHERE r.name = $1)`,
      [run],
    );
    await client.query(
      `UPDATE task_runs SET logs_removed_at = now() WHERE pipeline_run_id = (SELECT id FROM pipeline_runs WHERE name = $1)`,
      [run],
    );
  } finally {
    await client.end();
  }
}

for (const [width, height] of [
  [1440, 900],
  [390, 844],
] as const) {
  test(`a TaskRun whose logs retention removed says so on the run page and in the download (${width} px)`, async ({
    adminPage: page,
  }) => {
    const name = `e2e-retention-${width}`;
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
      await expect(page.getByTestId('log-body')).toContainText('compiled');

      await removeLogsByRetention(run);
      await page.reload();
      await page.getByTestId('graph-node-build').click();
      await expect(page.getByTestId('logs-removed')).toContainText(
        'The logs of this TaskRun were removed by retention',
      );
      await expect(page.getByTestId('log-body')).toHaveCount(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
        0,
      );
      await page.getByTestId('task-panel').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `/tmp/keelson/shots-h7-ops/logs-removed-${width}.png`, fullPage: true });

      const taskRun = `${run}-build`;
      const text = await page.request.get(`/api/v1/taskruns/${taskRun}/logs?format=text`);
      expect(await text.text()).toContain('were removed by retention');
    } finally {
      await expect
        .poll(async () => (await page.request.delete(`/api/v1/pipelineruns/${run}`)).status(), { timeout: 30_000 })
        .toBe(204);
      await page.request.delete(`/api/v1/pipelines/${name}`);
    }
  });
}
