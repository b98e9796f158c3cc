import { request as newRequest, type APIRequestContext, type Page } from '@playwright/test';
import { ssoLogin } from './support/sso-login';
import { adminPassword, apiLogin, appUrl, expect, test } from './support/fixtures';

/**
 * Pipelines belong to the project their metadata.namespace names: the pages show it, a missing project is
 * refused at metadata.namespace, and a read-only SSO user sees the pipeline and its run with Start, Rerun and
 * Cancel disabled, saying why, while the API refuses that session's start with 403. Screenshots at 1280 and 390.
 */
const PROJECT = 'e2e-proj';
const PIPELINE = 'e2e-proj-build';
const SIZES = [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
] as const;
const yaml = (namespace: string) => `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: ${PIPELINE}, namespace: ${namespace} }
spec:
  tasks:
    - name: hello
      taskSpec: { steps: [{ name: say, image: alpine, script: 'echo hello; sleep 90' }] }
    - name: after
      runAfter: [hello]
      taskSpec: { steps: [{ name: say, image: alpine, script: 'echo done' }] }
`;

let api: APIRequestContext;
let run = '';

const shot = (page: Page, name: string, width: number) =>
  page.screenshot({ path: `test-results/screenshots/projects-${name}-${width}.png`, fullPage: true });

test.beforeAll(async () => {
  api = await newRequest.newContext({ baseURL: appUrl() });
  await apiLogin(api, 'admin', adminPassword());
  const project = await api.post('/api/v1/projects', {
    data: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: PROJECT },
      spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }] },
    },
  });
  expect(project.status(), await project.text()).toBe(201);
  const applied = await api.post('/api/v1/apply', {
    data: yaml(PROJECT),
    headers: { 'content-type': 'application/yaml' },
  });
  expect(applied.status(), await applied.text()).toBe(201);
  const started = await api.post(`/api/v1/pipelines/${PIPELINE}/start`, { data: {} });
  expect(started.status(), await started.text()).toBe(201);
  run = ((await started.json()) as { name: string }).name;
});

/** Leaves nothing behind: other specs count the runs and pipelines of the shared Keelson. */
test.afterAll(async () => {
  await api.post(`/api/v1/pipelineruns/${run}/cancel`, { data: { mode: 'Cancelled' } });
  await expect
    .poll(async () => (await api.delete(`/api/v1/pipelineruns/${run}`)).status(), { timeout: 30_000 })
    .toBe(204);
  expect((await api.delete(`/api/v1/pipelines/${PIPELINE}`)).status()).toBe(204);
  expect((await api.delete(`/api/v1/projects/${PROJECT}`)).status()).toBe(204);
  await api.dispose();
});

test('a document naming a missing project is refused at metadata.namespace', async () => {
  const res = await api.post('/api/v1/apply', {
    data: yaml('no-such-project'),
    headers: { 'content-type': 'application/yaml' },
  });
  expect(res.status()).toBe(400);
  const body = (await res.json()) as { error: { issues: { path: string }[]; hint: string } };
  expect(body.error.issues[0].path).toBe('documents[0].metadata.namespace');
  expect(body.error.hint).toContain('keelson proj create no-such-project');
  const runBody = (await (await api.get(`/api/v1/pipelineruns/${run}`)).json()) as { metadata: { namespace: string } };
  expect(runBody.metadata.namespace).toBe(PROJECT);
});

test('a read-only SSO user sees the project, Start, Rerun and Cancel disabled, and the API refuses', async ({
  page,
}) => {
  await ssoLogin(page, 'viewer');
  await page.waitForURL((u) => !u.pathname.startsWith('/login') && !u.pathname.startsWith('/interaction'));
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.goto(`/pipelines/${PIPELINE}`);
    await expect(page.getByText(`project ${PROJECT}`)).toBeVisible();
    const start = page.getByRole('button', { name: 'Start' });
    await expect(start).toBeDisabled();
    await expect(start).toHaveAttribute('title', 'You are not allowed to start this pipeline.');
    await shot(page, 'viewer-pipeline', size.width);
    await page.goto(`/runs/${run}`);
    await expect(page.getByText(`project ${PROJECT}`)).toBeVisible();
    const rerun = page.getByRole('button', { name: 'Rerun', exact: true });
    await expect(rerun).toBeDisabled();
    await expect(rerun).toHaveAttribute('title', 'You are not allowed to rerun this run.');
    await expect(page.getByRole('button', { name: /^Cancel/ })).toBeDisabled();
    await shot(page, 'viewer-run', size.width);
  }
  const refused = await page.context().request.post(`${appUrl()}/api/v1/pipelines/${PIPELINE}/start`, {
    data: {},
    headers: { origin: appUrl(), 'content-type': 'application/json' },
  });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: { denied: unknown } }).error.denied).toMatchObject({
    resource: 'pipelineruns',
    action: 'create',
    object: expect.stringMatching(new RegExp(`^${PROJECT}/${PIPELINE}-run-`)),
  });
});

test('the admin sees the same pages with the buttons enabled', async ({ page }) => {
  await apiLogin(page.context().request, 'admin', adminPassword());
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.goto(`/pipelines/${PIPELINE}`);
    await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();
    await shot(page, 'admin-pipeline', size.width);
    await page.goto(`/runs/${run}`);
    await expect(page.getByRole('button', { name: 'Rerun', exact: true })).toBeEnabled();
    await shot(page, 'admin-run', size.width);
  }
});
