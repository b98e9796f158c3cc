/**
 * The Kubernetes executor when the pipeline cluster becomes unreachable while it follows a pod (the API server's port
 * closed): a TaskRun without a timeout no longer waits forever. Once the pod could not be read for the start timeout,
 * the TaskRun fails with PodCreationFailed and the connection's error (credentials redacted); a cluster back within
 * the start timeout is followed on as before.
 */
import { describe, expect } from 'vitest';
import { connect } from '@/lib/adapters/k8s/connect';
import { clusterTest as test } from './cluster';
import { realNodePlan, record, step, target, testExecutor } from './executor-kubernetes-support';
import { tcpProxy, testClusterCreds } from './k8s-helpers';
import { realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();

describe.skipIf(!realNode)('Kubernetes executor: the pipeline cluster unreachable', () => {
  test('port closed mid-step, no TaskRun timeout: fails after the start timeout with the connection error', async ({
    namespace,
    kube,
  }) => {
    const { server, token, caPem } = testClusterCreds();
    const proxy = await tcpProxy(server);
    const viaProxy = await connect({ type: 'token', server: `https://127.0.0.1:${proxy.port}`, token, caData: caPem });
    try {
      const startTimeoutMs = 4_000;
      const { executor } = testExecutor(realNode!, { connect: async () => viaProxy, startTimeoutMs });
      const plan = realNodePlan({
        steps: [step('wait', { image: 'busybox', script: 'echo waiting; sleep 120' })],
      });
      expect(plan.timeoutMs).toBeUndefined();
      const r = record();
      let closedAt = 0;
      const onLogs = r.hooks.onLogs;
      r.hooks.onLogs = (lines) => {
        if (!closedAt && lines.some((l) => l.text === 'waiting')) {
          closedAt = Date.now();
          void proxy.close();
        }
        return onLogs(lines);
      };
      const outcome = await executor.run(plan, '/x', r.hooks, target(namespace));
      const after = Date.now() - closedAt;
      expect(closedAt).toBeGreaterThan(0);
      expect(outcome.status).toBe('Failed');
      expect(outcome.reason).toBe('PodCreationFailed');
      expect(outcome.message).toMatch(
        /lost the pipeline cluster while following pod ".*": it could not be read for 4 s/,
      );
      expect(outcome.message).toContain('ECONNREFUSED');
      expect(outcome.message).not.toContain(token);
      // Bounded by the start timeout (and a request's back-off), not by the step's 120 s.
      expect(after).toBeGreaterThanOrEqual(startTimeoutMs);
      expect(after).toBeLessThan(startTimeoutMs + 15_000);
      expect(r.text('wait')).toEqual(['waiting']);
      // The pod could not be deleted through the closed port: it is still there (the sweep's to delete).
      const pods = await kube.core.listNamespacedPod({ namespace });
      expect(pods.items.length).toBe(1);
    } finally {
      viaProxy.close();
      await proxy.close();
    }
  }, 120_000);

  test('a cluster back within the start timeout is followed on: the TaskRun succeeds', async ({ namespace }) => {
    const { server, token, caPem } = testClusterCreds();
    const proxy = await tcpProxy(server);
    const viaProxy = await connect({ type: 'token', server: `https://127.0.0.1:${proxy.port}`, token, caData: caPem });
    try {
      const { executor } = testExecutor(realNode!, { connect: async () => viaProxy, startTimeoutMs: 8_000 });
      const plan = realNodePlan({
        steps: [step('wait', { image: 'busybox', script: 'echo waiting; sleep 4; echo done' })],
      });
      const r = record();
      let closed = false;
      const onLogs = r.hooks.onLogs;
      r.hooks.onLogs = (lines) => {
        if (!closed && lines.some((l) => l.text === 'waiting')) {
          closed = true;
          void proxy.close().then(() => new Promise((res) => setTimeout(res, 2_000)).then(() => proxy.reopen()));
        }
        return onLogs(lines);
      };
      const outcome = await executor.run(plan, '/x', r.hooks, target(namespace));
      expect(closed).toBe(true);
      expect(outcome.status, JSON.stringify(outcome)).toBe('Succeeded');
      expect(r.text('wait')).toEqual(['waiting', 'done']);
    } finally {
      viaProxy.close();
      await proxy.close();
    }
  }, 120_000);
});
