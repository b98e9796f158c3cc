import { readFileSync } from 'node:fs';
import { request as newRequest, type APIRequestContext } from '@playwright/test';
import { adminPassword, apiLogin, appUrl, expect, screenshot, test } from './support/fixtures';
import { realNode } from './support/logs-app';

/**
 * Settings → Pipelines in the browser: the admin points pipelines at a registered cluster (the e2e control plane),
 * a PipelineRun started from the API runs as pods on the real node, and the run page says "executor: kubernetes"
 * with the pod's name; the setting goes back to the local executor afterwards (other specs run locally).
 */
const kubeconfig = process.env.KEELSON_E2E_KUBECONFIG;
const CLUSTER = 'e2e-pipelines';
let api: APIRequestContext;

test.skip(!kubeconfig || !realNode, 'needs the e2e control plane with its real node');

test.beforeAll(async () => {
  api = await newRequest.newContext({ baseURL: appUrl() });
  await apiLogin(api, 'admin', adminPassword());
  const cluster = await api.post('/api/v1/clusters', {
    data: { name: CLUSTER, kubeconfig: readFileSync(kubeconfig as string, 'utf8') },
  });
  expect(cluster.status(), await cluster.text()).toBe(201);
});

/** Other specs expect empty Runs pages and the local executor: this spec removes its runs and waits for the workers. */
test.afterAll(async () => {
  expect((await api.put('/api/v1/settings/pipelines', { data: { cluster: null } })).status()).toBe(200);
  for (const width of [1440, 390]) await api.delete(`/api/v1/pipelineruns/e2e-on-pods-${width}`);
  await api.delete(`/api/v1/clusters/${CLUSTER}`);
  await api.dispose();
  // Workers read the setting every 5 s: a run started sooner would still go to the (now removed) cluster.
  await new Promise((r) => setTimeout(r, 6000));
});

const RUN = (name: string) => `
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: ${name}
spec:
  taskRunTemplate:
    podTemplate:
      nodeSelector: { keelson.dev/real-node: "true" }
      tolerations: [{ key: keelson.dev/real-node, operator: Equal, value: "true", effect: NoSchedule }]
  pipelineSpec:
    tasks:
      - name: hello
        taskSpec:
          steps:
            - name: greet
              image: busybox
              script: echo "hello from a pod on $(uname -n)"
`;

for (const [width, height] of [
  [1440, 900],
  [390, 844],
] as const) {
  test(`Settings → Pipelines points pipelines at a cluster; the run page names the executor and pod (${width} px)`, async ({
    adminPage: page,
  }, info) => {
    await page.setViewportSize({ width, height });
    await page.goto('/settings/pipelines');
    await expect(page.getByTestId('executor-kind')).toBeVisible();
    await page.getByLabel('Cluster').selectOption(CLUSTER);
    await page.getByLabel('Namespace').fill('e2e-{project}');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('executor-kind')).toHaveText('Kubernetes');
    await expect(page.getByTestId('executor-in-force')).toContainText(`cluster ${CLUSTER}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, `settings-pipelines-${width}`, info.project.name);

    // Workers read the setting every 5 s.
    await page.waitForTimeout(6000);
    const name = `e2e-on-pods-${width}`;
    const applied = await page.request.post('/api/v1/apply', {
      data: RUN(name),
      headers: { 'content-type': 'application/yaml' },
    });
    expect(applied.status(), await applied.text()).toBe(201);
    await page.goto(`/runs/${name}`);
    await expect(page.getByTestId('run-status')).toContainText('Succeeded', { timeout: 90_000 });
    await page.getByTestId('graph-node-hello').click();
    await expect(page.getByTestId('taskrun-executor')).toContainText('executor: kubernetes');
    await expect(page.getByTestId('taskrun-pod')).toHaveText(`${name}-hello-pod`);
    await expect(page.getByTestId('task-panel')).toContainText('hello from a pod on');
    await expect(page.getByTestId('executor-hint')).toContainText('each step runs in its own image');
    await expect(page.getByRole('table', { name: 'Steps' })).not.toContainText('Image (recorded)');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, `run-page-kubernetes-${width}`, info.project.name);
  });
}
