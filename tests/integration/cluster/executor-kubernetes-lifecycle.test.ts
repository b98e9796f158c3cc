/**
 * Pods over a TaskRun's life under the Kubernetes executor: a retry gets a pod of its own, finished pods are kept
 * for the keep time and swept once their TaskRun is over, a namespace Keelson creates is labelled and enforces
 * Pod Security baseline, and a pod deleted under a running step fails the TaskRun with a reason.
 */
import { describe, expect } from 'vitest';
import { sweepOrphanPods } from '@/lib/adapters/executors/kubernetes';
import { clusterTest as test, isNotFound, randomName, waitFor } from './cluster';
import { realNodePlan, record, step, target, testConnection, testExecutor } from './executor-kubernetes-support';
import { realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();

describe.skipIf(!realNode)('Kubernetes executor: pod lifecycle', () => {
  test('a retry runs in a pod of its own; kept pods are swept once their TaskRun is over', async ({
    kube,
    namespace,
  }) => {
    const { executor } = testExecutor(realNode!, { keepFinishedPodsMs: 600_000 });
    const plan = realNodePlan({ steps: [step('flaky', { image: 'busybox', script: 'echo attempt' })] });
    const first = await executor.run(plan, '/x', record().hooks, target(namespace));
    const second = await executor.run(plan, '/x', record().hooks, target(namespace, { attempt: 1 }));
    expect([first.status, second.status]).toEqual(['Succeeded', 'Succeeded']);
    expect([first.pod?.name, second.pod?.name]).toEqual([`${plan.taskRunName}-pod`, `${plan.taskRunName}-pod-retry1`]);
    // Both kept (keepFinishedPodsMs), each labelled for the reaper.
    for (const name of [first.pod!.name, second.pod!.name]) {
      const pod = await kube.core.readNamespacedPod({ name, namespace });
      expect(pod.metadata?.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'keelson',
        'keelson.dev/task-run': plan.taskRunName,
        'tekton.dev/taskRun': plan.taskRunName,
      });
    }
    const conn = await testConnection();
    const asked: string[] = [];
    const live = async (name: string, pod: { attempt?: number }) => (asked.push(`${name}#${pod.attempt}`), true);
    expect(await sweepOrphanPods(conn, live, { namespaces: [namespace] })).toEqual([]);
    expect(asked.sort()).toEqual([`${plan.taskRunName}#0`, `${plan.taskRunName}#1`]);
    // The TaskRun moved on to attempt 1: the pod of attempt 0 is swept, the current one stays.
    const stale = await sweepOrphanPods(conn, async (_name, pod) => pod.attempt === 1, { namespaces: [namespace] });
    expect(stale.map((p) => p.name)).toEqual([first.pod!.name]);
    // Within the keep time a finished pod stays even when its TaskRun is over.
    expect(
      await sweepOrphanPods(conn, async () => false, { namespaces: [namespace], keepFinishedPodsMs: 600_000 }),
    ).toEqual([]);
    const swept = await sweepOrphanPods(conn, async () => false, { namespaces: [namespace] });
    expect(swept.map((p) => p.name)).toEqual([second.pod!.name]);
    for (const { name } of [...stale, ...swept])
      await waitFor(`${name} gone`, () => isNotFound(() => kube.core.readNamespacedPod({ name, namespace })));
  });

  test('a namespace Keelson creates carries the project label and enforces Pod Security baseline', async ({ kube }) => {
    const { executor } = testExecutor(realNode!);
    const namespace = randomName('kx');
    try {
      const plan = realNodePlan({ steps: [step('hello', { image: 'busybox', script: 'echo hello' })] });
      const r = record();
      const outcome = await executor.run(plan, '/x', r.hooks, { project: 'payments', namespace, attempt: 0 });
      expect(outcome.status, JSON.stringify(outcome)).toBe('Succeeded');
      expect(r.text('hello')).toEqual(['hello']);
      const ns = await kube.core.readNamespace({ name: namespace });
      expect(ns.metadata?.labels).toMatchObject({
        'keelson.dev/project': 'payments',
        'pod-security.kubernetes.io/enforce': 'baseline',
      });
      // Baseline is enforced: a privileged pod is refused there.
      const refused = await kube.core
        .createNamespacedPod({
          namespace,
          body: {
            metadata: { name: 'privileged' },
            spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] },
          },
        })
        .then(
          () => 'created',
          (e: Error) => e.message,
        );
      expect(refused).toMatch(/violates PodSecurity \W*baseline/);
    } finally {
      await kube.core.deleteNamespace({ name: namespace }).catch(() => undefined);
    }
  });

  test('a pod deleted under a running step fails the TaskRun, saying so, with the lines so far', async ({
    kube,
    namespace,
  }) => {
    const { executor } = testExecutor(realNode!);
    const plan = realNodePlan({ steps: [step('victim', { image: 'busybox', script: 'echo up\nsleep 120' })] });
    const r = record();
    const onLogs = r.hooks.onLogs;
    r.hooks.onLogs = (lines) => {
      if (lines.some((l) => l.text === 'up'))
        void kube.core.deleteNamespacedPod({ name: `${plan.taskRunName}-pod`, namespace, gracePeriodSeconds: 0 });
      return onLogs(lines);
    };
    const began = Date.now();
    const outcome = await executor.run(plan, '/x', r.hooks, target(namespace));
    expect(Date.now() - began).toBeLessThan(60_000);
    expect(outcome).toMatchObject({ status: 'Failed', reason: 'Failed' });
    expect(outcome.message).toContain(`pod "${plan.taskRunName}-pod" was deleted before its steps finished`);
    expect(r.text('victim')).toEqual(['up']);
  });
});
