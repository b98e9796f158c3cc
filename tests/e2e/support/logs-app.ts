import { readFileSync } from 'node:fs';
import { request as newRequest, type APIRequestContext, type Page } from '@playwright/test';
import { createTestRepo, type TestRepo } from '../../integration/support/git-repos';
import { adminPassword, apiLogin, appUrl, expect, test } from './fixtures';

export const SHOTS = 'test-results/screenshots';
/** The e2e cluster's real node (KEELSON_E2E_REAL_NODE, set by global-setup), or null when it has none. */
export const realNode = process.env.KEELSON_E2E_REAL_NODE
  ? (JSON.parse(process.env.KEELSON_E2E_REAL_NODE) as { nodeName: string })
  : null;

export type LogPod = { name: string; containers: { name: string; restartCount: number; state: string }[] };

/**
 * An application for the Logs tab's browser tests, created and synced in beforeAll from `files` (a `deploy/`
 * folder in a fresh repo) on a cluster of its own, and deleted with its resources in afterAll. `ready` is
 * awaited after the sync (e.g. until a workload has its pods).
 */
export function logsApp(o: {
  app: string;
  files: Record<string, string>;
  ready: (app: ReturnType<typeof handle>) => Promise<void>;
  /** Why the whole file is skipped (nothing is created then). */
  skip?: string;
}) {
  const h = handle(o.app);
  let repo: TestRepo | undefined;
  test.skip(
    !process.env.KEELSON_E2E_KUBECONFIG && !process.env.CI,
    'the test control plane is not built (bash tests/cluster/build.sh)',
  );
  test.skip(o.skip !== undefined, o.skip);
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    h.api = await newRequest.newContext({ baseURL: appUrl() });
    await apiLogin(h.api, 'admin', adminPassword());
    const kubeconfig = readFileSync(process.env.KEELSON_E2E_KUBECONFIG as string, 'utf8');
    const cluster = await h.api.post('/api/v1/clusters', { data: { name: o.app, kubeconfig } });
    expect(cluster.status(), await cluster.text()).toBe(201);
    repo = await createTestRepo({ files: o.files });
    const created = await h.api.post('/api/v1/applications', {
      data: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: o.app },
        spec: {
          project: 'default',
          source: { repoURL: repo.url, path: 'deploy', targetRevision: 'main' },
          destination: { name: o.app, namespace: o.app },
          syncPolicy: { syncOptions: ['CreateNamespace=true'] },
        },
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    await expect
      .poll(async () => (await h.api.post(`/api/v1/applications/${o.app}/sync`, { data: {} })).status(), {
        timeout: 30_000,
      })
      .toBeLessThan(300);
    await o.ready(h);
  });
  test.afterAll(async () => {
    await h.api.delete(`/api/v1/applications/${o.app}`);
    await expect
      .poll(async () => (await h.api.get(`/api/v1/applications/${o.app}`)).status(), { timeout: 30_000 })
      .toBe(404);
    await h.api.delete(`/api/v1/clusters/${o.app}`);
    await h.api.dispose();
    await repo?.cleanup();
  });
  return h;
}

function handle(app: string) {
  const h = {
    app,
    /** The namespace the app deploys to: its own name. */
    ns: app,
    /** The admin's API context (set in beforeAll). */
    api: undefined as unknown as APIRequestContext,
    /** GET …/pods of one resource, as the API lists them (newest first); [] on an error. */
    async podsOf(kind: string, group: string, name: string): Promise<LogPod[]> {
      const q = new URLSearchParams({ namespace: app, kind, group, resourceName: name });
      const res = await h.api.get(`/api/v1/applications/${app}/pods?${q}`);
      return res.ok() ? ((await res.json()) as { items: LogPod[] }).items : [];
    },
    /** Opens the app and the panel of one resource (clicked in the tree) on its Logs tab. */
    async openLogs(page: Page, kind: string, name: string) {
      await page.goto(`/applications/${app}`);
      await page.getByTestId(`tree-node-${kind}-${name}`).click();
      const panel = page.getByTestId('resource-panel');
      await expect(panel.getByRole('heading', { name })).toBeVisible();
      await panel.getByRole('tab', { name: 'Logs' }).click();
      return panel;
    },
  };
  return h;
}
