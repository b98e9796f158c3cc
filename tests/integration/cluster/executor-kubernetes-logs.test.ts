/**
 * Logs of the Kubernetes executor: lines arrive while the step runs (not when it ends), and a Secret's value given to
 * a step is masked in them and never written into the pod spec.
 */
import { describe, expect } from 'vitest';
import { clusterTest as test, isNotFound } from './cluster';
import { realNodePlan, record, step, target, testConnection, testExecutor } from './executor-kubernetes-support';
import { realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();

describe.skipIf(!realNode)('Kubernetes executor: logs', () => {
  test('the first line of a step is delivered seconds before the step ends', async ({ namespace }) => {
    const { executor } = testExecutor(realNode!);
    const plan = realNodePlan({
      steps: [step('slow', { image: 'busybox', script: 'echo first\nsleep 4\necho second' })],
    });
    const r = record();
    const outcome = await executor.run(plan, '/nonexistent', r.hooks, target(namespace));
    expect(outcome.status).toBe('Succeeded');
    const first = r.lines.find((l) => l.text === 'first');
    const second = r.lines.find((l) => l.text === 'second');
    const finished = r.finished.find((s) => s.name === 'slow');
    expect(first && second && finished).toBeTruthy();
    expect(second!.arrivedAt - first!.arrivedAt).toBeGreaterThan(2_500);
    expect(finished!.arrivedAt - first!.arrivedAt).toBeGreaterThan(2_500);
    // Times are the container runtime's, not the arrival's.
    expect(second!.at.getTime() - first!.at.getTime()).toBeGreaterThanOrEqual(3_500);
  });

  test("a Secret's value is masked in the logs and absent from the pod spec; the run Secret is deleted", async ({
    kube,
    namespace,
  }) => {
    const { executor } = testExecutor(realNode!);
    const secret = 'hunter2-s3cr3t-value';
    const plan = realNodePlan({
      secretsToMask: [secret],
      steps: [
        step('leak', {
          image: 'busybox',
          env: { TOKEN: secret, PLAIN: 'visible' },
          script: 'echo "token=$TOKEN plain=$PLAIN"\necho "$TOKEN" | wc -c',
        }),
      ],
    });
    const r = record();
    let spec = '';
    r.hooks.onPodCreated = async (pod) => {
      const conn = await testConnection();
      spec = (await conn.request({ method: 'GET', path: `/api/v1/namespaces/${namespace}/pods/${pod.name}` })).body;
    };
    const outcome = await executor.run(plan, '/nonexistent', r.hooks, target(namespace));
    expect(outcome.status, JSON.stringify(outcome)).toBe('Succeeded');
    expect(r.text('leak')).toEqual(['token=*** plain=visible', String(secret.length + 1)]);
    expect(spec).toContain('"name":"TOKEN"');
    expect(spec).toContain('secretKeyRef');
    expect(spec).not.toContain(secret);
    const secretName = `${plan.taskRunName}-pod-run`;
    expect(spec).toContain(secretName);
    expect(await isNotFound(() => kube.core.readNamespacedSecret({ name: secretName, namespace }))).toBe(true);
  });
});
