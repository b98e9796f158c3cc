import { ApiextensionsV1Api, CustomObjectsApi, PatchStrategy, type V1ConfigMap, Watch } from '@kubernetes/client-node';
import { describe, expect } from 'vitest';
import { apiStatus, clusterAvailable, clusterTest as test, randomName, waitFor } from './cluster';

describe.skipIf(!clusterAvailable)('API server behaviour', () => {
  test('a CRD installs and custom objects can be created (and are validated)', async ({ kube, namespace }) => {
    const ext = kube.kc.makeApiClient(ApiextensionsV1Api);
    const custom = kube.kc.makeApiClient(CustomObjectsApi);
    const group = `${randomName('g')}.keelson.test`;
    const name = `widgets.${group}`;
    await ext.createCustomResourceDefinition({
      body: {
        metadata: { name },
        spec: {
          group,
          scope: 'Namespaced',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
                },
              },
            },
          ],
        },
      },
    });
    try {
      await waitFor(`CRD ${name} Established`, async () => {
        const crd = await ext.readCustomResourceDefinition({ name });
        return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
      });
      const target = { group, version: 'v1', namespace, plural: 'widgets' };
      const body = { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } };
      // The new resource can take a moment to be served after Established.
      await waitFor(
        'custom object created',
        async () => (await custom.createNamespacedCustomObject({ ...target, body })) as unknown,
      );
      const read = (await custom.getNamespacedCustomObject({ ...target, name: 'w1' })) as { spec: { size: number } };
      expect(read.spec.size).toBe(3);

      const bad = { ...body, metadata: { name: 'w2' }, spec: { size: 'big' } };
      const rejected = await custom.createNamespacedCustomObject({ ...target, body: bad }).then(
        () => undefined,
        (err: unknown) => apiStatus(err),
      );
      expect(rejected).toBe(422);
    } finally {
      await ext.deleteCustomResourceDefinition({ name });
    }
  });

  test('server-side apply tracks the field manager, detects conflicts, and dry-run does not persist', async ({
    kube,
    namespace,
  }) => {
    const cm = (data: Record<string, string>): V1ConfigMap => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace },
      data,
    });
    const apply = (
      obj: V1ConfigMap,
      manager: string,
      opts: { dryRun?: boolean; force?: boolean } = {},
    ): Promise<V1ConfigMap> =>
      kube.objects.patch(
        obj,
        undefined,
        opts.dryRun ? 'All' : undefined,
        manager,
        opts.force ?? false,
        PatchStrategy.ServerSideApply,
      );

    const created = await apply(cm({ a: '1' }), 'keelson-test');
    const entry = created.metadata?.managedFields?.find((f) => f.manager === 'keelson-test');
    expect(entry?.operation).toBe('Apply');
    expect(JSON.stringify(entry?.fieldsV1)).toContain('f:a');

    // Another manager may not silently take over a field it does not own.
    const conflict = await apply(cm({ a: '2' }), 'someone-else').then(
      () => undefined,
      (err: unknown) => apiStatus(err),
    );
    expect(conflict).toBe(409);

    const dry = await apply(cm({ a: '1', b: '2' }), 'keelson-test', { dryRun: true });
    expect(dry.data).toEqual({ a: '1', b: '2' });
    const stored = await kube.core.readNamespacedConfigMap({ name: 'settings', namespace });
    expect(stored.data).toEqual({ a: '1' });
    expect(stored.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);

    const forced = await apply(cm({ a: '3' }), 'someone-else', { force: true });
    expect(forced.data?.a).toBe('3');
    const owners = forced.metadata?.managedFields?.map((f) => f.manager) ?? [];
    expect(owners).toContain('someone-else');
  });

  test('a watch delivers ADDED, MODIFIED and DELETED', async ({ kube, namespace }) => {
    const events: string[] = [];
    const watch = new Watch(kube.kc);
    const controller = await watch.watch(
      `/api/v1/namespaces/${namespace}/configmaps`,
      { fieldSelector: 'metadata.name=watched' },
      (phase: string) => events.push(phase),
      () => undefined,
    );
    try {
      await kube.core.createNamespacedConfigMap({
        namespace,
        body: { metadata: { name: 'watched' }, data: { v: '1' } },
      });
      await waitFor('ADDED', async () => events.includes('ADDED'));
      await kube.core.replaceNamespacedConfigMap({
        name: 'watched',
        namespace,
        body: { metadata: { name: 'watched' }, data: { v: '2' } },
      });
      await waitFor('MODIFIED', async () => events.includes('MODIFIED'));
      await kube.core.deleteNamespacedConfigMap({ name: 'watched', namespace });
      await waitFor('DELETED', async () => events.includes('DELETED'));
      expect(events).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    } finally {
      controller.abort();
    }
  });
});
