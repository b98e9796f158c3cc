/**
 * The Kubernetes executor runs a TaskRun as a pod on the real node: each step in its own image (busybox, python,
 * alpine/git by its image's ENTRYPOINT), a workspace shared between them, results, exit codes and onError, logs per
 * step, and no pod or Secret left behind.
 */
import { describe, expect } from 'vitest';
import { clusterTest as test, isNotFound } from './cluster';
import { realNodePlan, record, step, target, testExecutor } from './executor-kubernetes-support';
import { realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();

describe.skipIf(!realNode)('Kubernetes executor: steps in their own images', () => {
  test('busybox then python share a workspace; results and logs per step; pod and Secret deleted', async ({
    kube,
    namespace,
  }) => {
    const { executor, hookErrors } = testExecutor(realNode!);
    const plan = realNodePlan({
      workspaces: [
        { name: 'src', mountPath: '/workspace/src', hostPath: '', readOnly: false, source: { kind: 'emptyDir' } },
      ],
      resultNames: ['greeting'],
      steps: [
        step('write', {
          image: 'busybox',
          script: 'echo "from busybox $(uname -s)" > /workspace/src/note\necho wrote the note',
        }),
        step('read', {
          image: 'python',
          command: ['python3', '-c'],
          args: [
            [
              'import sys',
              "note = open('/workspace/src/note').read().strip()",
              "print('python', sys.version_info[0], 'read:', note)",
              "open('/tekton/results/greeting', 'w').write('hi ' + note)",
            ].join('\n'),
          ],
        }),
      ],
    });
    const r = record();
    const outcome = await executor.run(plan, '/nonexistent', r.hooks, target(namespace));

    expect(outcome, JSON.stringify(outcome)).toMatchObject({
      status: 'Succeeded',
      reason: 'Succeeded',
      sandbox: 'kubernetes',
    });
    expect(outcome.results).toEqual({ greeting: 'hi from busybox Linux' });
    expect(outcome.steps.map((s) => [s.name, s.reason, s.exitCode])).toEqual([
      ['write', 'Completed', 0],
      ['read', 'Completed', 0],
    ]);
    expect(r.text('write')).toEqual(['wrote the note']);
    expect(r.text('read')).toEqual(['python 3 read: from busybox Linux']);
    expect(r.started.map((s) => s.step)).toEqual(['write', 'read']);
    expect(r.finished.map((s) => s.name)).toEqual(['write', 'read']);
    const podName = `${plan.taskRunName}-pod`;
    expect(outcome.pod).toEqual({ namespace, name: podName });
    expect(r.pods).toEqual([{ namespace, name: podName }]);
    expect(hookErrors).toEqual([]);
    // Gone once the outcome is back (deletion requested; the pod may linger while its containers stop).
    const left = await kube.core.readNamespacedPod({ name: podName, namespace }).catch(() => undefined);
    expect(left === undefined || left.metadata?.deletionTimestamp !== undefined).toBe(true);
  });

  test('a step with only args runs its image ENTRYPOINT (alpine/git --version)', async ({ namespace }) => {
    const { executor } = testExecutor(realNode!);
    const plan = realNodePlan({ steps: [step('version', { image: 'alpine/git', args: ['--version'] })] });
    const r = record();
    const outcome = await executor.run(plan, '/nonexistent', r.hooks, target(namespace));
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'Succeeded' });
    expect(r.text('version').join('\n')).toMatch(/^git version \d+\.\d+/);
  });

  test('exit codes: onError continue goes on, the next failure fails the TaskRun and skips the rest', async ({
    kube,
    namespace,
  }) => {
    const { executor } = testExecutor(realNode!);
    const plan = realNodePlan({
      steps: [
        step('tolerated', { image: 'busybox', script: 'echo trying; exit 3', onError: 'continue' }),
        step('fails', { image: 'busybox', command: ['sh', '-c', 'echo failing >&2; exit 7'] }),
        step('never', { image: 'busybox', script: 'echo never' }),
      ],
    });
    const r = record();
    const outcome = await executor.run(plan, '/nonexistent', r.hooks, target(namespace));
    expect(outcome).toMatchObject({ status: 'Failed', reason: 'Failed', message: '"fails" exited with code 7' });
    expect(outcome.steps.map((s) => [s.name, s.reason, s.exitCode])).toEqual([
      ['tolerated', 'Error', 3],
      ['fails', 'Error', 7],
      ['never', 'Skipped', null],
    ]);
    expect(outcome.steps[0].message).toBe('"tolerated" exited with code 3 (onError: continue)');
    expect(r.text('tolerated')).toEqual(['trying']);
    expect(r.text('fails')).toEqual(['failing']);
    expect(r.text('never')).toEqual([]);
    expect(
      await isNotFound(() => kube.core.readNamespacedSecret({ name: `${plan.taskRunName}-pod-run`, namespace })),
    ).toBe(true);
  });
});
