import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { kubectlBin } from '../../cluster/binaries';
import { applyDryRun, applyObject, deleteObject, ensureNamespace } from '@/lib/adapters/k8s/apply';
import type { KubeConnection } from '@/lib/adapters/k8s/connection';
import { discoveryFor } from '@/lib/adapters/k8s/discovery';
import { KubeError } from '@/lib/adapters/k8s/errors';
import type { KubeObject } from '@/lib/domain/gitops/k8s-object';
import { getObject, listObjects } from '@/lib/adapters/k8s/read';
import { clusterAvailable, clusterTest as test, kubeconfigPath, randomName, waitFor } from './cluster';
import { connectTestCluster, deployment } from './k8s-helpers';

let conn: KubeConnection;
beforeAll(async () => {
  if (clusterAvailable) conn = await connectTestCluster();
});
afterAll(() => conn?.close());

const configMap = (name: string, namespace: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data,
});

const spec = (o: KubeObject | undefined): Record<string, unknown> => (o?.spec ?? {}) as Record<string, unknown>;

describe.skipIf(!clusterAvailable)('k8s adapter: apply, dry-run, get, delete', () => {
  test('apply creates, re-apply updates, and keelson owns the fields', async ({ namespace }) => {
    const first = await applyObject(conn, deployment('web', namespace));
    expect(first.created).toBe(true);
    expect(first.object.metadata.uid).toBeTruthy();

    const second = await applyObject(
      conn,
      deployment('web', namespace, { replicas: 3, image: 'example.invalid/app:2' }),
    );
    expect(second.created).toBe(false);
    expect(spec(second.object).replicas).toBe(3);

    const live = await getObject(conn, { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'web' });
    expect(spec(live).replicas).toBe(3);
    expect(live?.metadata.managedFields?.some((m) => m.manager === 'keelson' && m.operation === 'Apply')).toBe(true);
  });

  test('force takes over fields owned by another manager (Argo CD ServerSideApply semantics)', async ({
    namespace,
  }) => {
    await applyObject(conn, configMap('shared', namespace, { k: 'theirs' }), { fieldManager: 'someone-else' });
    const res = await applyObject(conn, configMap('shared', namespace, { k: 'ours' }));
    expect(res.object.data).toEqual({ k: 'ours' });
    const err = await applyObject(conn, configMap('shared', namespace, { k: 'back' }), {
      fieldManager: 'someone-else',
      force: false,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeError);
    expect(err).toMatchObject({
      status: 409,
      reason: 'Conflict',
      message: expect.stringMatching(/conflict with "keelson"/),
    });
  });

  test('dry-run apply returns the merged object with server defaults and persists nothing', async ({ namespace }) => {
    const t0 = performance.now();
    const dry = await applyDryRun(conn, deployment('dry', namespace));
    const ms = performance.now() - t0;
    console.info(`[k8s] dry-run apply of a new Deployment: ${ms.toFixed(1)} ms`);
    expect(spec(dry.object).strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
    });
    expect(spec(dry.object).revisionHistoryLimit).toBe(10);
    expect(
      await getObject(conn, { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'dry' }),
    ).toBeUndefined();

    // On an existing object: the change shows in the result only.
    await applyObject(conn, deployment('dry', namespace, { replicas: 1 }));
    const merged = await applyDryRun(conn, deployment('dry', namespace, { replicas: 4 }));
    expect(spec(merged.object).replicas).toBe(4);
    const live = await getObject(conn, { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'dry' });
    expect(spec(live).replicas).toBe(1);
    expect(merged.object.metadata.uid).toBe(live?.metadata.uid);
  });

  test('validation failures carry the API server message and status', async ({ namespace }) => {
    const bad = deployment('bad', namespace, { replicas: -1 });
    const invalid = await applyObject(conn, bad).catch((e: unknown) => e);
    expect(invalid).toMatchObject({
      status: 422,
      reason: 'Invalid',
      message: expect.stringMatching(/spec\.replicas: Invalid value: -1/),
    });
    expect((invalid as KubeError).causes.some((c) => c.field === 'spec.replicas')).toBe(true);

    const unknownField = {
      ...deployment('bad', namespace),
      spec: { ...spec(deployment('bad', namespace)), bogus: true },
    };
    const strict = await applyObject(conn, unknownField).catch((e: unknown) => e);
    // Server-side apply reports unknown fields as a 500 "failed to create typed patch object".
    expect(strict).toMatchObject({
      status: 500,
      reason: 'Invalid',
      message: expect.stringMatching(/\.spec\.bogus: field not declared in schema/),
    });
    // ...whatever fieldValidation says (Argo CD's Validate=false does not rescue it either).
    await expect(applyObject(conn, unknownField, { fieldValidation: 'Ignore' })).rejects.toThrow(
      /field not declared in schema/,
    );

    const noNs = await applyObject(conn, { ...configMap('x', namespace, {}), metadata: { name: 'x' } }).catch(
      (e: unknown) => e,
    );
    expect(noNs).toMatchObject({ status: 400, message: expect.stringMatching(/namespaced but has no namespace/) });
    const unknownKind = await applyObject(conn, {
      apiVersion: 'nope.keelson.test/v1',
      kind: 'Nothing',
      metadata: { name: 'x', namespace },
    }).catch((e: unknown) => e);
    expect(unknownKind).toMatchObject({
      status: 404,
      reason: 'UnknownKind',
      message: expect.stringMatching(/CustomResourceDefinition/),
    });
  });

  test('get returns undefined for missing objects and kinds; delete with propagation', async ({ namespace }) => {
    expect(await getObject(conn, { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'absent' })).toBeUndefined();
    expect(
      await getObject(conn, { apiVersion: 'nope.keelson.test/v1', kind: 'Nothing', namespace, name: 'x' }),
    ).toBeUndefined();

    await applyObject(conn, deployment('gone', namespace));
    const key = { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'gone' };
    expect(await deleteObject(conn, key, { propagationPolicy: 'Foreground' })).toEqual({ deleted: true });
    await waitFor('deployment removed', async () => (await getObject(conn, key)) === undefined);
    expect(await deleteObject(conn, key, { propagationPolicy: 'Background' })).toEqual({ deleted: false });
  });

  test('ensureNamespace creates once; cluster-scoped objects ignore a namespace', async ({ kube }) => {
    const name = randomName('t');
    try {
      expect(await ensureNamespace(conn, name, { labels: { 'keelson.test/ephemeral': 'true' } })).toBe('created');
      expect(await ensureNamespace(conn, name)).toBe('exists');
      const ns = await getObject(conn, { apiVersion: 'v1', kind: 'Namespace', name });
      expect(ns?.metadata.labels?.['keelson.test/ephemeral']).toBe('true');
    } finally {
      await kube.core.deleteNamespace({ name }).catch(() => undefined);
    }
  });

  test('timing: apply of 10 objects, then the same 10 again as dry-runs', async ({ namespace }) => {
    const objs = Array.from({ length: 10 }, (_, i) =>
      i % 2 ? deployment(`d${i}`, namespace) : configMap(`c${i}`, namespace, { i: String(i) }),
    );
    await applyDryRun(conn, objs[0]); // warm discovery and the socket
    let t0 = performance.now();
    for (const o of objs) await applyObject(conn, o);
    const sequential = performance.now() - t0;
    t0 = performance.now();
    await Promise.all(objs.map((o) => applyObject(conn, o)));
    const parallel = performance.now() - t0;
    t0 = performance.now();
    await Promise.all(objs.map((o) => applyDryRun(conn, o)));
    const dry = performance.now() - t0;
    // The same 10 objects (fresh names) with `kubectl apply --server-side`, process start included.
    const dir = mkdtempSync(join(tmpdir(), 'keelson-kubectl-'));
    objs.forEach((o, i) =>
      writeFileSync(
        join(dir, `${i}.json`),
        JSON.stringify({ ...o, metadata: { ...o.metadata, name: `k-${o.metadata.name}` } }),
      ),
    );
    t0 = performance.now();
    execFileSync(
      kubectlBin(),
      ['--kubeconfig', kubeconfigPath, 'apply', '--server-side', '--field-manager=kubectl-bench', '-f', dir],
      { stdio: 'ignore' },
    );
    const kubectl = performance.now() - t0;
    console.info(
      `[k8s] kubectl apply --server-side of 10 files: ${kubectl.toFixed(0)} ms → keelson/kubectl ratio ${(sequential / kubectl).toFixed(2)} (sequential)`,
    );
    console.info(
      `[k8s] apply 10 objects: sequential ${sequential.toFixed(0)} ms (create), parallel ${parallel.toFixed(0)} ms (unchanged); dry-run 10 in parallel ${dry.toFixed(0)} ms`,
    );
    const list = await listObjects(conn, { apiVersion: 'apps/v1', kind: 'Deployment', namespace });
    expect(list.items).toHaveLength(10);
    expect(list.items[0]).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
  });
});

describe.skipIf(!clusterAvailable)('k8s adapter: discovery', () => {
  test('maps kinds to resources and scope', async () => {
    const d = discoveryFor(conn);
    expect(await d.lookup('apps/v1', 'Deployment')).toMatchObject({
      resource: 'deployments',
      namespaced: true,
      group: 'apps',
      version: 'v1',
    });
    expect(await d.lookup('v1', 'Namespace')).toMatchObject({ resource: 'namespaces', namespaced: false, group: '' });
    expect(await d.lookup('rbac.authorization.k8s.io/v1', 'ClusterRole')).toMatchObject({
      resource: 'clusterroles',
      namespaced: false,
    });
    expect(await d.lookup('apps/v1', 'Nope')).toBeUndefined();
  });

  test('a CRD installed mid-test is discovered and its objects can be applied', async ({ kube, namespace }) => {
    const group = `${randomName('g')}.keelson.test`;
    const apiVersion = `${group}/v1`;
    const d = discoveryFor(conn);
    expect(await d.lookup(apiVersion, 'Widget')).toBeUndefined();
    const crd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `widgets.${group}` },
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
    };
    await applyObject(conn, crd);
    try {
      const info = await waitFor('Widget discovered', () => d.lookup(apiVersion, 'Widget'), { timeoutMs: 20_000 });
      expect(info).toMatchObject({ resource: 'widgets', namespaced: true });
      const w = await waitFor('Widget applied', () =>
        applyObject(conn, { apiVersion, kind: 'Widget', metadata: { name: 'w1', namespace }, spec: { size: 3 } }),
      );
      expect(spec(w.object).size).toBe(3);
    } finally {
      await kube.objects
        .delete({
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: `widgets.${group}` },
        })
        .catch(() => undefined);
    }
  });
});
