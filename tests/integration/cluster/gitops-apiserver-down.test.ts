/**
 * The apiserver of a destination cluster stopped mid-sync (SIGKILL), then started again, with the controller kept
 * running throughout. The destination is a PRIVATE control plane (its own etcd and kube-apiserver,
 * tests/cluster/control-plane/apiserver-only.ts), so the shared test cluster stays up for the other tests.
 *
 * As Argo CD: while the cluster is down both apps are Unknown/Unknown with a ComparisonError naming the connection
 * failure; the running sync ends with phase Error and that message (no operation left Running under a lease), or,
 * with syncPolicy.retry, is retried after its backoff from a fresh plan. When the apiserver is back the watch
 * reconnects and the apps are compared again by themselves: the retried sync succeeds (Synced/Healthy) and the app
 * without retry shows its real state (OutOfSync: its second wave never ran).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { connect } from '@/lib/adapters/k8s/connect';
import type { KubeConnection } from '@/lib/adapters/k8s/connection';
import { clusterSrcDir } from '../../cluster/binaries';
import { startApiserverOnly, type ApiserverOnly } from '../../cluster/control-plane/apiserver-only';
import { clusterAvailable, clusterTest as test, waitFor } from './cluster';
import { configMap, deployment } from './gitops-fixtures';
import { openOperation, startGitops, type Gitops } from './gitops-harness';

/** Named like the global setup's run dirs, so a later run sweeps it (and its processes) if this worker is killed. */
const scratch = (): string => {
  const runs = join(clusterSrcDir, '..', '..', '.keelson');
  mkdirSync(runs, { recursive: true });
  return mkdtempSync(join(runs, `vitest-cluster-${process.pid}-apiserver-`));
};

const UNREACHABLE = /cluster "private" is unreachable: .*(ECONNREFUSED|ECONNRESET|socket hang up|connect)/;

describe.skipIf(!clusterAvailable)('gitops: the destination apiserver stopped mid-sync', () => {
  let h: Gitops;
  let plane: ApiserverOnly;
  let conn: KubeConnection;
  beforeAll(async () => {
    plane = await startApiserverOnly(scratch());
    h = await startGitops();
    await h.addCluster('private', plane.kubeconfig);
    conn = await connect({ type: 'kubeconfig', content: plane.kubeconfig });
  });
  afterAll(async () => {
    conn?.close();
    await plane?.stop();
  });

  /** What kube-controller-manager would report for a rolled-out Deployment (this plane has none). */
  const rolledOut = (namespace: string) =>
    conn.requestOk({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${namespace}/deployments/slow/status`,
      contentType: 'application/merge-patch+json',
      body: {
        status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 },
      },
    });

  test('apps go Unknown with the connection error, the sync ends in Error or is retried, all recover', async () => {
    const r = await h.repo({
      'a.yaml': deployment('slow'),
      'b.yaml': configMap('after', { a: 'b' }, { 'argocd.argoproj.io/sync-wave': '1' }),
    });
    for (const ns of ['plain', 'retried']) {
      await conn.requestOk({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: ns } } });
    }
    await h.createApp('plain', {
      source: { repoURL: r.url, path: '' },
      destination: { name: 'private', namespace: 'plain' },
    });
    await h.createApp('retried', {
      source: { repoURL: r.url, path: '' },
      destination: { name: 'private', namespace: 'retried' },
      syncPolicy: { retry: { limit: 30, backoff: { duration: '1s', factor: 1, maxDuration: '1s' } } },
    });
    for (const name of ['plain', 'retried']) await h.waitApp(name, (a) => a.resources.length === 2, 'compared');
    const plainOp = await h.sync('plain');
    const retriedOp = await h.sync('retried');
    for (const name of ['plain', 'retried']) {
      await waitFor(`${name}: sync waiting for the Deployment`, async () =>
        (await openOperation(h, name))?.message.includes('waiting for healthy state of apps/Deployment/slow'),
      );
    }
    const controller = h.controller;

    await plane.killApiserver();
    const failed = await h.waitOperation(plainOp, 30_000);
    expect(failed.phase).toBe('Error');
    expect(failed.message).toMatch(UNREACHABLE);
    expect(failed.leaseOwner).toBeNull();
    const retrying = await waitFor('the retried sync to be rescheduled', async () => {
      const op = await openOperation(h, 'retried');
      return op?.message.startsWith('Retrying attempt #') ? op : undefined;
    });
    expect(retrying.message).toMatch(UNREACHABLE);
    // A retry starts over from a fresh plan, as Argo CD re-runs the whole sync.
    expect(retrying.plan).toBeNull();
    for (const name of ['plain', 'retried']) {
      const app = await h.waitApp(
        name,
        (a) => a.conditions.some((c) => c.type === 'ComparisonError'),
        'ComparisonError while down',
      );
      expect(app.syncStatus).toBe('Unknown');
      expect(app.healthStatus).toBe('Unknown');
      expect(app.conditions.find((c) => c.type === 'ComparisonError')?.message).toMatch(
        new RegExp(`^Failed to load live state: ${UNREACHABLE.source}`),
      );
    }
    expect(JSON.stringify(await h.app('plain'))).not.toContain(plane.conn.token);

    await plane.startApiserver();
    await rolledOut('retried');
    await rolledOut('plain');
    const done = await h.waitOperation(retriedOp, 60_000);
    expect(done.phase, done.message).toBe('Succeeded');
    expect(done.retryCount).toBeGreaterThanOrEqual(1);
    // No refresh asked for, no controller restarted: the watch came back and the apps were compared again.
    expect(h.controller).toBe(controller);
    await h.waitApp(
      'retried',
      (a) => a.syncStatus === 'Synced' && a.healthStatus === 'Healthy' && a.conditions.length === 0,
      'Synced + Healthy after the apiserver came back',
      30_000,
    );
    const plain = await h.waitApp(
      'plain',
      (a) => a.syncStatus !== 'Unknown' && a.healthStatus === 'Healthy',
      'compared again after the apiserver came back',
      30_000,
    );
    expect(plain.syncStatus).toBe('OutOfSync');
    expect(plain.conditions).toEqual([]);
    expect(await openOperation(h, 'plain')).toBeUndefined();
  }, 180_000);
});
