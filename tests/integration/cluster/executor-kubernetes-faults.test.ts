/**
 * Faults under the Kubernetes executor: cancel mid-step and timeout delete the pod and keep the logs written so far;
 * an image that does not exist fails the TaskRun with Tekton's reason within the start timeout.
 */
import { describe, expect } from 'vitest';
import { clusterTest as test, isNotFound, waitFor } from './cluster';
import { realNodePlan, record, step, target, testExecutor } from './executor-kubernetes-support';
import { realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();

describe.skipIf(!realNode)('Kubernetes executor: faults', () => {
  test('cancel mid-step: TaskRunCancelled, partial logs kept, pod deleted', async ({ kube, namespace }) => {
    const { executor } = testExecutor(realNode!);
    const controller = new AbortController();
    const plan = realNodePlan({
      steps: [
        step('long', { image: 'busybox', script: 'echo started\nsleep 120\necho never' }),
        step('after', { image: 'busybox', script: 'echo after' }),
      ],
    });
    const r = record(controller.signal);
    const onLogs = r.hooks.onLogs;
    r.hooks.onLogs = (lines) => {
      if (lines.some((l) => l.text === 'started')) controller.abort();
      return onLogs(lines);
    };
    const began = Date.now();
    const outcome = await executor.run(plan, '/nonexistent', r.hooks, target(namespace));
    expect(Date.now() - began).toBeLessThan(60_000);
    expect(outcome).toMatchObject({
      status: 'Failed',
      reason: 'TaskRunCancelled',
      message: `TaskRun "${plan.taskRunName}" was cancelled while step "long" was running`,
    });
    expect(outcome.steps.map((s) => [s.name, s.reason])).toEqual([
      ['long', 'Cancelled'],
      ['after', 'Skipped'],
    ]);
    expect(r.text('long')).toEqual(['started']);
    const podName = `${plan.taskRunName}-pod`;
    await waitFor('the cancelled pod to be gone', () =>
      isNotFound(() => kube.core.readNamespacedPod({ name: podName, namespace })),
    );
  });

  test('timeout: TaskRunTimeout naming the step, pod deleted', async ({ kube, namespace }) => {
    const { executor } = testExecutor(realNode!);
    const plan = realNodePlan({
      timeoutMs: 4_000,
      steps: [step('sleepy', { image: 'busybox', script: 'echo dozing\nsleep 120' })],
    });
    const r = record();
    const outcome = await executor.run(plan, '/nonexistent', r.hooks, target(namespace));
    expect(outcome).toMatchObject({
      status: 'Failed',
      reason: 'TaskRunTimeout',
      message: `TaskRun "${plan.taskRunName}" failed to finish within "4s"; step "sleepy" was killed`,
    });
    expect(outcome.steps[0]).toMatchObject({ name: 'sleepy', reason: 'TimedOut' });
    expect(r.text('sleepy')).toEqual(['dozing']);
    await waitFor('the timed-out pod to be gone', () =>
      isNotFound(() => kube.core.readNamespacedPod({ name: `${plan.taskRunName}-pod`, namespace })),
    );
  });

  test('an image that does not exist: TaskRunImagePullFailed with the kubelet message, within the start timeout', async ({
    kube,
    namespace,
  }) => {
    const { executor } = testExecutor(realNode!, { startTimeoutMs: 5_000 });
    const plan = realNodePlan({
      steps: [step('pull', { image: 'docker.io/library/no-such-image-keelson:1', command: ['true'] })],
    });
    const r = record();
    const began = Date.now();
    const outcome = await executor.run(plan, '/nonexistent', r.hooks, target(namespace));
    const took = Date.now() - began;
    expect(outcome.reason, JSON.stringify(outcome)).toBe('TaskRunImagePullFailed');
    expect(outcome.status).toBe('Failed');
    expect(outcome.message).toContain('no-such-image-keelson');
    expect(outcome.steps).toEqual([expect.objectContaining({ name: 'pull', reason: 'Skipped' })]);
    // The registry said "not found": waiting cannot help, so it fails without waiting out the start timeout.
    expect(took, JSON.stringify(outcome)).toBeLessThan(30_000);
    await waitFor('the unstartable pod to be gone', () =>
      isNotFound(() => kube.core.readNamespacedPod({ name: `${plan.taskRunName}-pod`, namespace })),
    );
  });

  test("a volume that cannot be mounted: the kubelet's FailedMount event fails the TaskRun after the start timeout", async ({
    kube,
    namespace,
  }) => {
    const { executor } = testExecutor(realNode!, { startTimeoutMs: 4_000 });
    const plan = realNodePlan({
      volumes: [{ name: 'settings', kind: 'unsupported', volumeSource: { configMap: { name: 'no-such-configmap' } } }],
      steps: [
        step('never', {
          image: 'busybox',
          script: 'echo never',
          volumeMounts: [{ volume: 'settings', mountPath: '/etc/settings', readOnly: true }],
        }),
      ],
    });
    const began = Date.now();
    const outcome = await executor.run(plan, '/nonexistent', record().hooks, target(namespace));
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'Failed', reason: 'PodCreationFailed' });
    expect(outcome.message).toMatch(/FailedMount/);
    expect(outcome.message).toContain('no-such-configmap');
    expect(Date.now() - began).toBeLessThan(45_000);
    await waitFor('the pod to be gone', () =>
      isNotFound(() => kube.core.readNamespacedPod({ name: `${plan.taskRunName}-pod`, namespace })),
    );
  });

  test('a pod no node can take: ExceededNodeResources with the scheduler message once the start timeout passed', async ({
    kube,
    namespace,
  }) => {
    const { executor } = testExecutor(realNode!, { startTimeoutMs: 4_000 });
    const plan = realNodePlan({
      steps: [step('huge', { image: 'busybox', script: 'echo never', computeResources: { requests: { cpu: '500' } } })],
    });
    const began = Date.now();
    const outcome = await executor.run(plan, '/nonexistent', record().hooks, target(namespace));
    const took = Date.now() - began;
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'Failed', reason: 'ExceededNodeResources' });
    expect(outcome.message).toMatch(/Insufficient cpu/);
    expect(took).toBeGreaterThanOrEqual(4_000);
    expect(took).toBeLessThan(30_000);
    await waitFor('the pod to be gone', () =>
      isNotFound(() => kube.core.readNamespacedPod({ name: `${plan.taskRunName}-pod`, namespace })),
    );
  });

  test("a container the kubelet refuses to create: CreateContainerConfigError with the kubelet's message", async ({
    kube,
    namespace,
  }) => {
    const { executor } = testExecutor(realNode!, { startTimeoutMs: 60_000 });
    const plan = realNodePlan({
      // busybox runs as root, which runAsNonRoot forbids: the kubelet will not create the step's container.
      pod: { podTemplate: { securityContext: { runAsNonRoot: true } } },
      steps: [step('root', { image: 'busybox', command: ['id'] })],
    });
    const began = Date.now();
    const outcome = await executor.run(plan, '/nonexistent', record().hooks, target(namespace));
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'Failed', reason: 'CreateContainerConfigError' });
    expect(outcome.message).toMatch(/runAsNonRoot/);
    // Waiting cannot help: it fails well before the start timeout.
    expect(Date.now() - began).toBeLessThan(30_000);
    await waitFor('the pod to be gone', () =>
      isNotFound(() => kube.core.readNamespacedPod({ name: `${plan.taskRunName}-pod`, namespace })),
    );
  });
});
