/**
 * A TaskRun only ever touches its own pod and run Secret (security review F2). kmeta.ChildName's form for a long
 * name (head + md5 + suffix) is itself a valid shorter TaskRun name, so two TaskRuns can map to one pod name: the
 * second fails with PodCreationFailed and leaves the first's pod and Secret alone. A pod left by the same attempt's
 * dead worker is still replaced, and a pod made under the name by someone else after ours went is not ours.
 */
import { createHash } from 'node:crypto';
import { describe, expect } from 'vitest';
import { runSecretName, taskRunPodName } from '@/lib/adapters/executors/kubernetes/names';
import { clusterTest as test, randomName } from './cluster';
import { realNodePlan, record, step, target, testExecutor } from './executor-kubernetes-support';
import { onRealNode, realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();

/** A long TaskRun name and the shorter one whose pod (and run Secret) name is the same. */
function collidingNames() {
  const base = `${randomName('release')}-build-and-publish-the-container-image-`;
  const victim = base + 'x'.repeat(62 - base.length);
  const attacker = victim.slice(0, 27) + createHash('md5').update(victim).digest('hex');
  return { victim, attacker };
}

const waitUntil = async (what: string, check: () => boolean | Promise<boolean>, ms = 90_000) => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

describe.skipIf(!realNode)('Kubernetes executor: a TaskRun owns only its own pod and run Secret', () => {
  test("a TaskRun never deletes or replaces another TaskRun's pod or run Secret", async ({ kube, namespace }) => {
    const { victim, attacker } = collidingNames();
    expect(taskRunPodName(attacker)).toBe(taskRunPodName(victim));
    const { executor } = testExecutor(realNode!);
    const rv = record();
    const victimRun = executor.run(
      realNodePlan({
        taskRunName: victim,
        resultNames: ['digest'],
        steps: [
          step('a', {
            image: 'busybox',
            env: { TOKEN: 'victim-value' },
            script: 'sleep 6; echo "done $TOKEN"; printf sha256:good > /tekton/results/digest',
          }),
        ],
      }),
      '/x',
      rv.hooks,
      target(namespace),
    );
    await waitUntil('the victim to start', () => rv.started.length > 0);
    const secretName = runSecretName(taskRunPodName(victim));
    const before = await kube.core.readNamespacedSecret({ name: secretName, namespace });
    const ra = record();
    const out = await executor.run(
      realNodePlan({
        taskRunName: attacker,
        resultNames: ['digest'],
        steps: [step('a', { image: 'busybox', script: 'echo x; printf sha256:evil > /tekton/results/digest' })],
      }),
      '/x',
      ra.hooks,
      target(namespace),
    );
    expect([out.status, out.reason]).toEqual(['Failed', 'PodCreationFailed']);
    expect(out.message).toContain(`of another TaskRun holds the name "${secretName}"`);
    expect(ra.pods).toEqual([]);
    // The victim's Secret is as it made it while it runs.
    const during = await kube.core.readNamespacedSecret({ name: secretName, namespace });
    expect([during.metadata?.uid, during.metadata?.resourceVersion]).toEqual([
      before.metadata?.uid,
      before.metadata?.resourceVersion,
    ]);
    const v = await victimRun;
    expect(v.status, JSON.stringify(v)).toBe('Succeeded');
    expect(v.results).toEqual({ digest: 'sha256:good' });
    expect(rv.text('a')).toEqual(['done victim-value']);
  });

  test('without a run Secret too: a pod of another TaskRun under the name is left alone', async ({
    kube,
    namespace,
  }) => {
    const { victim, attacker } = collidingNames();
    const { executor } = testExecutor(realNode!);
    const rv = record();
    const victimRun = executor.run(
      realNodePlan({
        taskRunName: victim,
        steps: [step('a', { image: 'busybox', command: ['sh', '-c', 'sleep 6; echo done'] })],
      }),
      '/x',
      rv.hooks,
      target(namespace),
    );
    await waitUntil('the victim to start', () => rv.started.length > 0);
    const podName = taskRunPodName(victim);
    const uid = (await kube.core.readNamespacedPod({ name: podName, namespace })).metadata?.uid;
    const out = await executor.run(
      realNodePlan({ taskRunName: attacker, steps: [step('a', { image: 'busybox', command: ['true'] })] }),
      '/x',
      record().hooks,
      target(namespace),
    );
    expect([out.status, out.reason]).toEqual(['Failed', 'PodCreationFailed']);
    expect(out.message).toContain(`a pod of another TaskRun holds the name "${podName}"`);
    const pod = await kube.core.readNamespacedPod({ name: podName, namespace });
    expect([pod.metadata?.uid, pod.metadata?.deletionTimestamp]).toEqual([uid, undefined]);
    const v = await victimRun;
    expect(v.status, JSON.stringify(v)).toBe('Succeeded');
    expect(rv.text('a')).toEqual(['done']);
  });

  test("a pod left by the same attempt's dead worker is replaced", async ({ kube, namespace }) => {
    const taskRunName = randomName('tr');
    const podName = taskRunPodName(taskRunName);
    const left = await kube.core.createNamespacedPod({
      namespace,
      body: {
        metadata: {
          name: podName,
          annotations: { 'keelson.dev/task-run': taskRunName, 'keelson.dev/attempt': '0' },
        },
        spec: onRealNode({ containers: [{ name: 'old', image: 'busybox', command: ['sleep', '300'] }] }),
      },
    });
    const { executor } = testExecutor(realNode!);
    const r = record();
    const out = await executor.run(
      realNodePlan({ taskRunName, steps: [step('a', { image: 'busybox', command: ['echo', 'fresh'] })] }),
      '/x',
      r.hooks,
      target(namespace),
    );
    expect(out.status, JSON.stringify(out)).toBe('Succeeded');
    expect(r.text('a')).toEqual(['fresh']);
    const now = await kube.core.readNamespacedPod({ name: podName, namespace }).catch(() => undefined);
    expect(now?.metadata?.uid).not.toBe(left.metadata?.uid);
  });

  test('a pod made under the name after ours was deleted is not ours: not followed, not deleted', async ({
    kube,
    namespace,
  }) => {
    const taskRunName = randomName('tr');
    const podName = taskRunPodName(taskRunName);
    const { executor } = testExecutor(realNode!);
    const r = record();
    const run = executor.run(
      realNodePlan({
        taskRunName,
        steps: [step('a', { image: 'busybox', command: ['sh', '-c', 'echo mine; sleep 300'] })],
      }),
      '/x',
      r.hooks,
      target(namespace),
    );
    await waitUntil('the line of our pod', () => r.text('a').includes('mine'));
    await kube.core.deleteNamespacedPod({ name: podName, namespace, gracePeriodSeconds: 0 });
    // Someone else's pod under the same name, which never starts (no such node).
    await kube.core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: podName },
        spec: { nodeName: 'no-such-node', containers: [{ name: 'step-a', image: 'busybox' }] },
      },
    });
    const out = await run;
    expect(out.status).toBe('Failed');
    expect(out.message).toContain('was deleted before its steps finished');
    const other = await kube.core.readNamespacedPod({ name: podName, namespace });
    expect(other.metadata?.deletionTimestamp, 'the other pod was deleted').toBeUndefined();
    expect(r.text('a')).toEqual(['mine']);
  });
  test('a finished pod kept for a while is deleted by uid: a pod made under its name since is left alone', async ({
    kube,
    namespace,
  }) => {
    const taskRunName = randomName('tr');
    const podName = taskRunPodName(taskRunName);
    const { executor } = testExecutor(realNode!, { keepFinishedPodsMs: 3_000 });
    const out = await executor.run(
      realNodePlan({ taskRunName, steps: [step('a', { image: 'busybox', command: ['echo', 'ok'] })] }),
      '/x',
      record().hooks,
      target(namespace),
    );
    expect(out.status, JSON.stringify(out)).toBe('Succeeded');
    // Ours goes (someone deleted it), and another pod takes the name before the keep time is over.
    await kube.core.deleteNamespacedPod({ name: podName, namespace, gracePeriodSeconds: 0 });
    await kube.core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: podName },
        spec: { nodeName: 'no-such-node', containers: [{ name: 'step-a', image: 'busybox' }] },
      },
    });
    await new Promise((r) => setTimeout(r, 5_000));
    const other = await kube.core.readNamespacedPod({ name: podName, namespace }).catch(() => undefined);
    expect(other && !other.metadata?.deletionTimestamp, 'the other pod was deleted').toBe(true);
  });
});
