/**
 * PersistentVolumeClaims on the real node (tests/cluster/control-plane/real-node/local-volumes.ts): the default
 * StorageClass keelson-local waits for the first consumer, the local-path provisioner makes a hostPath PV under
 * <cluster dir>/real-node/volumes for a claim the scheduler placed on the node, kube-controller-manager binds it,
 * a file survives from one pod to the next, and deleting the claim deletes the PV and its folder.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StorageV1Api, type V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { describe, expect } from 'vitest';
import { isNotFound, kubeconfigPath, clusterTest as test, waitFor } from './cluster';
import { realNodeOrSkip } from './real-node';
import { busybox, podLogs, runToCompletion } from './real-node-pods';

const realNode = realNodeOrSkip();
const volumesDir = join(dirname(kubeconfigPath), 'real-node', 'volumes');

const claim = (name: string, extra: Partial<V1PersistentVolumeClaim['spec']> = {}): V1PersistentVolumeClaim => ({
  metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '16Mi' } }, ...extra },
});

const withClaim = (claimName: string) => ({
  volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
});
const dataMount = { volumeMounts: [{ name: 'data', mountPath: '/data' }] };

describe.skipIf(!realNode)('PersistentVolumeClaims on the real node', () => {
  test('the default StorageClass is keelson-local, WaitForFirstConsumer, reclaim Delete; its provisioner runs in the node cgroup', async ({
    kube,
  }) => {
    const sc = await kube.kc.makeApiClient(StorageV1Api).readStorageClass({ name: 'keelson-local' });
    expect(sc).toMatchObject({
      provisioner: 'keelson.dev/local-path',
      volumeBindingMode: 'WaitForFirstConsumer',
      reclaimPolicy: 'Delete',
      metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    });
    const pid = readFileSync(join(dirname(kubeconfigPath), 'pids', 'local-volumes.pid'), 'utf8').split(' ')[0];
    const cgroups = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
    expect(cgroups).toMatch(/:\/keelson-\d+\/local-volumes$/m);
  });

  test('a claim used by two pods in turn keeps a file; deleting it deletes the PV and its folder', async ({
    kube,
    namespace,
  }) => {
    await kube.core.createNamespacedPersistentVolumeClaim({ namespace, body: claim('data') });
    // No class given: the default one. WaitForFirstConsumer: nothing is provisioned before a pod uses it.
    await new Promise((r) => setTimeout(r, 1000));
    const pending = await kube.core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace });
    expect(pending.spec?.storageClassName).toBe('keelson-local');
    expect(pending.status?.phase).toBe('Pending');
    expect(pending.spec?.volumeName).toBeUndefined();

    const t0 = Date.now();
    const writer = await runToCompletion(kube, namespace, 'writer', {
      ...withClaim('data'),
      containers: [busybox('main', 'echo "kept by $HOSTNAME" > /data/note; id -u; ls -ld /data', dataMount)],
    });
    console.log(`[real-node-volumes] first pod with a new claim Succeeded after ${Date.now() - t0} ms`);
    expect(writer.pod.status?.phase, writer.logs).toBe('Succeeded');
    expect(writer.pod.spec?.nodeName).toBe(realNode?.nodeName);

    const bound = await kube.core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace });
    expect(bound.status?.phase).toBe('Bound');
    expect(bound.metadata?.annotations?.['volume.kubernetes.io/selected-node']).toBe(realNode?.nodeName);
    const pvName = bound.spec?.volumeName ?? '';
    expect(pvName).toBe(`pvc-${bound.metadata?.uid}`);
    const pv = await kube.core.readPersistentVolume({ name: pvName });
    const folder = join(volumesDir, pvName);
    expect(pv.spec?.hostPath?.path).toBe(folder);
    expect(pv.spec?.persistentVolumeReclaimPolicy).toBe('Delete');
    expect(pv.spec?.claimRef).toMatchObject({ namespace, name: 'data', uid: bound.metadata?.uid });
    expect(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions?.[0]).toEqual({
      key: 'kubernetes.io/hostname',
      operator: 'In',
      values: [realNode?.nodeName],
    });
    // The folder on the host holds what the pod wrote.
    expect(readFileSync(join(folder, 'note'), 'utf8')).toBe('kept by writer\n');
    expect(statSync(folder).mode & 0o777).toBe(0o777);

    const reader = await runToCompletion(kube, namespace, 'reader', {
      ...withClaim('data'),
      containers: [busybox('main', 'cat /data/note', dataMount)],
    });
    expect(reader.pod.status?.phase).toBe('Succeeded');
    expect(reader.logs).toBe('kept by writer\n');
    expect(await podLogs(kube, namespace, 'writer')).toMatch(/^0\ndrwxrwxrwx /);

    await kube.core.deleteNamespacedPod({ name: 'writer', namespace, gracePeriodSeconds: 0 });
    await kube.core.deleteNamespacedPod({ name: 'reader', namespace, gracePeriodSeconds: 0 });
    await kube.core.deleteNamespacedPersistentVolumeClaim({ name: 'data', namespace });
    await waitFor('the PV deleted', () => isNotFound(() => kube.core.readPersistentVolume({ name: pvName })), {
      timeoutMs: 30_000,
    });
    expect(existsSync(folder)).toBe(false);
  });

  test('a claim of another class or on a kwok node is left alone', async ({ kube, namespace }) => {
    await kube.core.createNamespacedPersistentVolumeClaim({
      namespace,
      body: claim('other', { storageClassName: 'no-such-class' }),
    });
    await kube.core.createNamespacedPersistentVolumeClaim({ namespace, body: claim('fake-node') });
    // A pod without onRealNode goes to a kwok node: the scheduler selects that node, which is not ours.
    await kube.core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: 'on-kwok' },
        spec: { containers: [busybox('main', 'true')], ...withClaim('fake-node') },
      },
    });
    const selected = await waitFor('a node selected for claim fake-node', async () => {
      const c = await kube.core.readNamespacedPersistentVolumeClaim({ name: 'fake-node', namespace });
      return c.metadata?.annotations?.['volume.kubernetes.io/selected-node'];
    });
    expect(selected).not.toBe(realNode?.nodeName);
    await new Promise((r) => setTimeout(r, 1500));
    for (const name of ['other', 'fake-node']) {
      const c = await kube.core.readNamespacedPersistentVolumeClaim({ name, namespace });
      expect(c.status?.phase, name).toBe('Pending');
      expect(c.spec?.volumeName, name).toBeUndefined();
    }
  });
});
