import { describe, expect } from 'vitest';
import {
  clusterAvailable,
  clusterTest as test,
  deleteNamespaceAndWait,
  isNotFound,
  randomName,
  waitFor,
} from './cluster';

describe.skipIf(!clusterAvailable)('namespaces', () => {
  test('deleting a namespace removes its objects', async ({ kube }) => {
    const namespace = randomName('doomed');
    await kube.core.createNamespace({ body: { metadata: { name: namespace } } });
    await kube.core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'cm' }, data: { k: 'v' } } });
    await kube.core.createNamespacedSecret({ namespace, body: { metadata: { name: 's' }, stringData: { k: 'v' } } });
    await kube.apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'd' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'd' } },
          template: {
            metadata: { labels: { app: 'd' } },
            spec: { containers: [{ name: 'c', image: 'example.invalid/d:1' }] },
          },
        },
      },
    });
    await waitFor('the deployment pod to run', async () => {
      const pods = await kube.core.listNamespacedPod({ namespace });
      return pods.items.some((p) => p.status?.phase === 'Running');
    });

    await deleteNamespaceAndWait(kube.core, namespace);

    // Listing in a deleted namespace returns empty lists: the objects are gone from storage.
    const [cms, secrets, deps, pods] = await Promise.all([
      kube.core.listNamespacedConfigMap({ namespace }),
      kube.core.listNamespacedSecret({ namespace }),
      kube.apps.listNamespacedDeployment({ namespace }),
      kube.core.listNamespacedPod({ namespace }),
    ]);
    expect(cms.items).toHaveLength(0);
    expect(secrets.items).toHaveLength(0);
    expect(deps.items).toHaveLength(0);
    expect(pods.items).toHaveLength(0);
    expect(await isNotFound(() => kube.core.readNamespacedConfigMap({ name: 'cm', namespace }))).toBe(true);
  });
});
