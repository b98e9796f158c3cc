/**
 * The Kubernetes executor when its connections to the API server break mid-step: the pod watch is re-read and
 * watched again, each log stream reopened, and every line arrives exactly once.
 */
import { describe, expect } from 'vitest';
import { connect } from '@/lib/adapters/k8s/connect';
import { clusterTest as test } from './cluster';
import { realNodePlan, record, step, target, testExecutor } from './executor-kubernetes-support';
import { tcpProxy, testClusterCreds } from './k8s-helpers';
import { realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();

describe.skipIf(!realNode)('Kubernetes executor: broken connections', () => {
  test('connections cut mid-step: the TaskRun completes with every line once', async ({ namespace }) => {
    const { server, token, caPem } = testClusterCreds();
    const proxy = await tcpProxy(server);
    try {
      const viaProxy = await connect({
        type: 'token',
        server: `https://127.0.0.1:${proxy.port}`,
        token,
        caData: caPem,
      });
      const { executor, hookErrors } = testExecutor(realNode!, { connect: async () => viaProxy });
      const plan = realNodePlan({
        steps: [
          step('count', { image: 'busybox', script: 'for i in 1 2 3 4 5 6; do echo line-$i; sleep 1; done' }),
          step('after', { image: 'busybox', script: 'echo after' }),
        ],
      });
      const r = record();
      const onLogs = r.hooks.onLogs;
      let cuts = 0;
      r.hooks.onLogs = (lines) => {
        if (lines.some((l) => l.text === 'line-2' || l.text === 'line-4')) {
          cuts++;
          proxy.dropConnections();
        }
        return onLogs(lines);
      };
      const outcome = await executor.run(plan, '/x', r.hooks, target(namespace));
      expect(outcome.status, JSON.stringify(outcome)).toBe('Succeeded');
      expect(cuts).toBeGreaterThanOrEqual(2);
      expect(r.text('count')).toEqual(['line-1', 'line-2', 'line-3', 'line-4', 'line-5', 'line-6']);
      expect(r.text('after')).toEqual(['after']);
      expect(r.finished.map((s) => s.name)).toEqual(['count', 'after']);
      // The cuts were noticed (and survived), not missed.
      expect(hookErrors.length).toBeGreaterThan(0);
      viaProxy.close();
    } finally {
      await proxy.close();
    }
  });
});
