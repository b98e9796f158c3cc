/**
 * Workspaces and sidecars under the Kubernetes executor: a volumeClaimTemplate claim shared by two TaskRuns of one
 * PipelineRun and deleted with it (deleteRunClaims), and a sidecar whose readiness the first step waits for.
 */
import { describe, expect } from 'vitest';
import { deleteRunClaims } from '@/lib/adapters/executors/kubernetes';
import { runClaimKey } from '@/lib/adapters/executors/kubernetes/claims';
import type { WorkspacePlan } from '@/lib/domain/pipeline/task-run-plan';
import { clusterTest as test, isNotFound, waitFor } from './cluster';
import { realNodePlan, record, step, target, testConnection, testExecutor } from './executor-kubernetes-support';
import { realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();

describe.skipIf(!realNode)('Kubernetes executor: volumes and sidecars', () => {
  test('a volumeClaimTemplate claim is made once, shared by two TaskRuns and deleted with the run', async ({
    kube,
    namespace,
  }) => {
    const { executor } = testExecutor(realNode!);
    const claimName = 'pvc-0123abcd';
    const ws: WorkspacePlan = {
      name: 'data',
      mountPath: '/workspace/data',
      hostPath: '',
      readOnly: false,
      source: {
        kind: 'volumeClaimTemplate',
        claimName,
        template: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '16Mi' } } } },
      },
    };
    const run = { pipelineRunName: 'build-42', pipelineRunUid: '6f1c1f9e-4a57-4b43-9d1e-0d2f3c4b5a69' };
    const owner = { project: 'default', name: run.pipelineRunName, uid: run.pipelineRunUid };
    const write = realNodePlan({
      workspaces: [ws],
      steps: [step('write', { image: 'busybox', script: 'echo kept > /workspace/data/file' })],
    });
    const read = realNodePlan({
      workspaces: [ws],
      steps: [
        step('read', { image: 'python', command: ['python3', '-c', "print(open('/workspace/data/file').read())"] }),
      ],
    });
    const w = await executor.run(write, '/x', record().hooks, target(namespace, run));
    expect(w.status, JSON.stringify(w)).toBe('Succeeded');
    const r = record();
    const second = await executor.run(read, '/x', r.hooks, target(namespace, run));
    expect(second.status, JSON.stringify(second)).toBe('Succeeded');
    expect(r.text('read')).toEqual(['kept', '']);
    const pvc = await kube.core.readNamespacedPersistentVolumeClaim({ name: claimName, namespace });
    expect(pvc.metadata?.labels).toMatchObject({ 'keelson.dev/pipeline-run': runClaimKey(owner) });
    expect(pvc.metadata?.annotations).toMatchObject({ 'keelson.dev/pipeline-run-name': 'build-42' });
    // Another run of the same name (another uid) selects nothing of this one's.
    expect(await deleteRunClaims(await testConnection(), namespace, { ...owner, uid: 'another-uid' })).toBe(0);
    expect(await deleteRunClaims(await testConnection(), namespace, owner)).toBe(1);
    await waitFor('the claim gone', () =>
      isNotFound(() => kube.core.readNamespacedPersistentVolumeClaim({ name: claimName, namespace })),
    );
  });

  test('the first step starts once the sidecar is ready, and reaches it', async ({ namespace }) => {
    const { executor } = testExecutor(realNode!);
    const plan = realNodePlan({
      sidecars: [
        {
          name: 'web',
          image: 'busybox',
          container: {
            image: 'busybox',
            command: [
              'sh',
              '-c',
              'sleep 2; mkdir -p /www; echo served > /www/index.html; echo serving; httpd -f -p 8080 -h /www',
            ],
            readinessProbe: {
              exec: { command: ['wget', '-qO-', 'http://127.0.0.1:8080/'] },
              periodSeconds: 1,
            },
          },
        },
      ],
      steps: [step('client', { image: 'busybox', script: 'wget -qO- http://127.0.0.1:8080/' })],
    });
    const r = record();
    const outcome = await executor.run(plan, '/x', r.hooks, target(namespace));
    expect(outcome.status, JSON.stringify(outcome)).toBe('Succeeded');
    expect(r.text('client')).toEqual(['served']);
    expect(r.text('sidecar-web')).toEqual(['serving']);
  });

  test("a sidecar's env from a Keelson Secret comes from the values the worker loaded, masked in its log", async ({
    namespace,
  }) => {
    const { executor } = testExecutor(realNode!);
    const password = 'pw-0f9e8d7c6b';
    const plan = realNodePlan({
      secretsToMask: [password],
      sidecars: [
        {
          name: 'db',
          image: 'busybox',
          container: {
            image: 'busybox',
            command: ['sh', '-c', 'echo "db password $PASSWORD"; sleep 3600'],
            env: [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'password' } } }],
          },
        },
      ],
      steps: [step('wait', { image: 'busybox', script: 'sleep 2; echo done' })],
    });
    const r = record();
    const outcome = await executor.run(
      plan,
      '/x',
      r.hooks,
      target(namespace, { secrets: { 'db-creds': { password } } }),
    );
    expect(outcome.status, JSON.stringify(outcome)).toBe('Succeeded');
    expect(r.text('sidecar-db')).toEqual(['db password ***']);
    expect(r.text('wait')).toEqual(['done']);
  });
});
