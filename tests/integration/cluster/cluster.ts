/**
 * Helpers for tests in the `cluster` vitest project.
 *   import { clusterTest as test, clusterAvailable } from './cluster';
 *   describe.skipIf(!clusterAvailable)('...', () => {
 *     test('x', async ({ kube, namespace }) => { ... });   // fresh namespace per test
 *   });
 */
import { randomBytes } from 'node:crypto';
import {
  ApiException,
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import { inject, test } from 'vitest';

export const kubeconfigPath: string = inject('kubeconfig');
/** False only when the global setup decided to skip (no Go, no KEELSON_TEST_KUBECONFIG, not CI). */
export const clusterAvailable: boolean = kubeconfigPath !== '';

export interface KubeClients {
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  objects: KubernetesObjectApi;
}

export function makeClients(): KubeClients {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return {
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    objects: KubernetesObjectApi.makeApiClient(kc),
  };
}

export const randomName = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

/** HTTP status of a failed API call, or undefined for other errors. */
export function apiStatus(err: unknown): number | undefined {
  return err instanceof ApiException ? err.code : undefined;
}

export async function isNotFound<T>(call: () => Promise<T>): Promise<boolean> {
  try {
    await call();
    return false;
  } catch (err) {
    if (apiStatus(err) === 404) return true;
    throw err;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Polls `probe` until it returns something other than undefined/false and returns that.
 * On timeout the error names `what` and the last value seen (or the last error thrown).
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  { timeoutMs = 30_000, intervalMs = 200 }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`);
    }
    await sleep(intervalMs);
  }
}

/** Deletes a namespace and waits until it is gone (its objects are removed first by the namespace controller). */
export async function deleteNamespaceAndWait(core: CoreV1Api, name: string, timeoutMs = 60_000): Promise<void> {
  await core.deleteNamespace({ name });
  await waitFor(`namespace ${name} to be deleted`, () => isNotFound(() => core.readNamespace({ name })), { timeoutMs });
}

/**
 * The labels that make a namespace Keelson's for project `default` (the Kubernetes executor runs pods only in a
 * namespace labelled for the TaskRun's project), so executor tests can use the `namespace` fixture.
 */
export const KEELSON_DEFAULT_PROJECT_LABELS = {
  'app.kubernetes.io/managed-by': 'keelson',
  'keelson.dev/project': 'default',
};

/** `test` with fixtures: `kube` (API clients) and `namespace` (fresh, Keelson's for project default, deleted after). */
export const clusterTest = test.extend<{ kube: KubeClients; namespace: string }>({
  // eslint-disable-next-line no-empty-pattern
  kube: async ({}, use) => {
    await use(makeClients());
  },
  namespace: async ({ kube }, use) => {
    const name = randomName('t');
    await kube.core.createNamespace({
      body: { metadata: { name, labels: { 'keelson.test/ephemeral': 'true', ...KEELSON_DEFAULT_PROJECT_LABELS } } },
    });
    await waitFor(`default ServiceAccount in ${name}`, async () => {
      const sas = await kube.core.listNamespacedServiceAccount({ namespace: name });
      return sas.items.some((sa) => sa.metadata?.name === 'default');
    });
    try {
      await use(name);
    } finally {
      // Don't wait: the namespace controller finishes in the background.
      await kube.core.deleteNamespace({ name }).catch(() => undefined);
    }
  },
});
