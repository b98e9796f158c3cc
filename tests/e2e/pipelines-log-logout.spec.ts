/**
 * The TaskRun log view when the server ends its stream with `event: error`: the user's session is logged out (in
 * another tab, say) while the log is followed; at the next recheck (about 30 s) the server sends the error and the
 * view shows its message instead of reconnecting into a 401 and stopping without a word.
 */
import { request as newRequest, type APIRequestContext } from '@playwright/test';
import { adminPassword, apiLogin, appUrl, expect, screenshot, test } from './support/fixtures';

const PIPELINE = 'e2e-log-logout';
const RUN = 'e2e-log-logout-run';
const DOCUMENTS = `
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: ${PIPELINE}}
spec:
  tasks:
    - name: wait
      taskSpec:
        steps:
          - name: sleep
            image: docker.io/library/busybox
            script: |
              echo "sleeping a while"
              sleep 90
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: ${RUN}}
spec: {pipelineRef: {name: ${PIPELINE}}}
`;

async function api(): Promise<APIRequestContext> {
  const ctx = await newRequest.newContext({ baseURL: appUrl() });
  expect((await apiLogin(ctx, 'admin', adminPassword())).ok()).toBe(true);
  return ctx;
}

test.afterAll(async () => {
  const ctx = await api();
  await ctx.post(`/api/v1/pipelineruns/${RUN}/cancel`, { data: { mode: 'Cancelled' } });
  await expect
    .poll(
      async () => (await (await ctx.get(`/api/v1/pipelineruns?pipeline=${PIPELINE}&status=Running`)).json()).total,
      {
        timeout: 45_000,
      },
    )
    .toBe(0);
  await ctx.delete(`/api/v1/pipelineruns/${RUN}`);
  await ctx.delete(`/api/v1/pipelines/${PIPELINE}`);
  await ctx.dispose();
});

test('a log followed when the session is logged out shows why it stopped', async ({ adminPage: page }, info) => {
  test.setTimeout(120_000);
  const ctx = await api();
  const applied = await ctx.post('/api/v1/apply', { data: DOCUMENTS, headers: { 'content-type': 'application/yaml' } });
  expect(applied.ok(), await applied.text()).toBe(true);
  await ctx.dispose();

  await page.goto(`/runs/${RUN}`);
  await expect(page.getByTestId('graph-node-wait')).toHaveAttribute('data-status', 'Running', { timeout: 30_000 });
  await page.getByTestId('graph-node-wait').click();
  const panel = page.getByTestId('task-panel');
  await expect(panel.getByTestId('log-body')).toContainText('sleeping a while', { timeout: 20_000 });
  await expect(panel.getByText('streaming…')).toBeVisible();

  // Log out this browser's session (as another tab would): the server ends the stream at its next recheck.
  const request = page.context().request;
  const { csrfToken } = (await (await request.get('/api/auth/csrf')).json()) as { csrfToken: string };
  expect((await request.post('/api/auth/signout', { form: { csrfToken, json: 'true' } })).ok()).toBe(true);

  await expect(panel.getByRole('alert')).toContainText('no longer valid', { timeout: 45_000 });
  await expect(panel.getByText('stopped', { exact: true })).toBeVisible();
  // The lines already shown stay.
  await expect(panel.getByTestId('log-body')).toContainText('sleeping a while');
  await screenshot(page, 'taskrun-log-logged-out', info.project.name);
});
