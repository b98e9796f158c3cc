/**
 * Tekton's own entrypoint (github.com/tektoncd/pipeline/cmd/entrypoint v1.15.0, built by tests/cluster/build.sh
 * tekton and published as ghcr.io/tektoncd/pipeline/entrypoint:v1.15.0) on the real node, in a pod built by hand
 * in exactly the shape Tekton's pod builder makes (tekton-pod-shape.ts): steps in order by their post files,
 * results in the termination message, a failed step making the next one skip, the ready annotation gating the
 * first step, onError continue and a step timeout.
 */
import { PatchStrategy, type V1Pod } from '@kubernetes/client-node';
import { describe, expect } from 'vitest';
import { type KubeClients, clusterTest as test } from './cluster';
import { onRealNode, realNodeOrSkip } from './real-node';
import { isFinished, podLogs, terminatedOf, waitPod } from './real-node-pods';
import { type RunResult, type ShapeStep, tektonShapedPod, terminationResults } from './tekton-pod-shape';

const realNode = realNodeOrSkip();

/** Appends "<label> <uptime>" to /workspace/order (the pod's shared emptyDir; /proc/uptime: one clock for all). */
const mark = (label: string): string => `echo "${label} $(cut -d' ' -f1 /proc/uptime)" >> /workspace/order`;

const busyboxStep = (name: string, body: string, extra: Partial<ShapeStep> = {}): ShapeStep => ({
  name,
  image: 'busybox',
  script: `${mark(`${name}-start`)}\n${body}\n${mark(`${name}-end`)}\n`,
  ...extra,
});

/** A python step reading the order so far and writing the task result `greeting`. */
const pythonStep: ShapeStep = {
  name: 'two',
  image: 'python',
  script: [
    '#!/usr/bin/env python3',
    'import os, sys',
    "up = open('/proc/uptime').read().split()[0]",
    "open('/workspace/order', 'a').write(f'two-start {up}\\n')",
    "print('python', sys.version_info[0], 'as uid', os.getuid(), flush=True)",
    "open('/tekton/results/greeting', 'w').write('hello from ' + sys.executable)",
    "print(open('/workspace/order').read(), end='')",
  ].join('\n'),
};

async function create(kube: KubeClients, namespace: string, pod: V1Pod): Promise<V1Pod> {
  return kube.core.createNamespacedPod({
    namespace,
    body: { ...pod, spec: onRealNode(pod.spec ?? { containers: [] }) },
  });
}

const byKey = (results: RunResult[]) => Object.fromEntries(results.map((r) => [r.key, r]));

describe.skipIf(!realNode)("Tekton's entrypoint on the real node", () => {
  test('two steps (busybox, python) run in order; results come back in the termination messages', async ({
    kube,
    namespace,
  }) => {
    const pod = tektonShapedPod({
      name: 'ordered-pod',
      taskRun: 'ordered',
      results: ['greeting'],
      steps: [
        busyboxStep('one', 'sleep 1; printf sha256:abc > /tekton/steps/step-one/results/digest', {
          stepResults: ['digest'],
        }),
        pythonStep,
      ],
    });
    await create(kube, namespace, pod);
    const done = await waitPod(kube, namespace, 'ordered-pod', 'finished', isFinished, 90_000);
    expect(done.status?.phase).toBe('Succeeded');
    expect(terminatedOf(done, 'prepare')).toMatchObject({ exitCode: 0 });
    expect(terminatedOf(done, 'place-scripts')).toMatchObject({ exitCode: 0 });
    const one = terminatedOf(done, 'step-one');
    const two = terminatedOf(done, 'step-two');
    expect(one?.exitCode).toBe(0);
    expect(two?.exitCode).toBe(0);

    // step-two's log shows the order file: step-one started and ended before step-two started.
    const log = await podLogs(kube, namespace, 'ordered-pod', 'step-two');
    expect(log).toMatch(/^python 3 as uid 0\n/);
    const order = log.split('\n').filter((l) => /^(one|two)-/.test(l));
    expect(order.map((l) => l.split(' ')[0])).toEqual(['one-start', 'one-end', 'two-start']);
    const times = order.map((l) => Number(l.split(' ')[1]));
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(1); // the sleep 1
    expect(times[2]).toBeGreaterThanOrEqual(times[1]);

    // Termination messages: Tekton's JSON list of {key, value, type} (1 task result, 3 internal, 4 step result).
    const r1 = byKey(terminationResults(one?.message));
    const r2 = byKey(terminationResults(two?.message));
    expect(r1.digest).toEqual({ key: 'digest', value: 'sha256:abc', type: 4 });
    expect(r1.greeting).toBeUndefined();
    expect(r2.greeting).toEqual({ key: 'greeting', value: 'hello from /usr/bin/python3', type: 1 });
    const started1 = Date.parse(r1.StartedAt?.value ?? '');
    const started2 = Date.parse(r2.StartedAt?.value ?? '');
    expect(r1.StartedAt?.type).toBe(3);
    expect(started2 - started1).toBeGreaterThanOrEqual(1000);
    // step-two started after step-one's container finished (finishedAt has whole seconds).
    expect(started2).toBeGreaterThanOrEqual(Date.parse(String(one?.finishedAt)));
  });

  test("a failing first step writes Tekton's .err post file: the second step is skipped with exit 1", async ({
    kube,
    namespace,
  }) => {
    const pod = tektonShapedPod({
      name: 'failing-pod',
      taskRun: 'failing',
      results: ['greeting'],
      steps: [busyboxStep('one', 'echo failing now; exit 3'), pythonStep],
    });
    await create(kube, namespace, pod);
    const done = await waitPod(kube, namespace, 'failing-pod', 'finished', isFinished, 90_000);
    expect(done.status?.phase).toBe('Failed');
    const one = terminatedOf(done, 'step-one');
    const two = terminatedOf(done, 'step-two');
    expect(one?.exitCode).toBe(3);
    expect(two?.exitCode).toBe(1);
    expect(byKey(terminationResults(two?.message)).Reason).toEqual({ key: 'Reason', value: 'Skipped', type: 3 });
    expect(byKey(terminationResults(two?.message)).greeting).toBeUndefined();
    expect(await podLogs(kube, namespace, 'failing-pod', 'step-one')).toContain('failing now');
    const skippedLog = await podLogs(kube, namespace, 'failing-pod', 'step-two');
    expect(skippedLog).toContain('Skipping step because a previous step failed');
    expect(skippedLog).not.toContain('python 3');
  });

  test('without the ready annotation the first step waits on /tekton/downward/ready until the pod is annotated', async ({
    kube,
    namespace,
  }) => {
    const pod = tektonShapedPod({
      name: 'gated-pod',
      taskRun: 'gated',
      waitForReady: true,
      steps: [busyboxStep('one', 'echo ran')],
    });
    await create(kube, namespace, pod);
    const running = await waitPod(kube, namespace, 'gated-pod', 'step running', (p) =>
      Boolean(p.status?.containerStatuses?.[0]?.state?.running),
    );
    expect(running.metadata?.annotations?.['tekton.dev/ready']).toBeUndefined();
    await new Promise((r) => setTimeout(r, 2500));
    expect(await podLogs(kube, namespace, 'gated-pod', 'step-one')).not.toContain('ran');
    const patchedAt = Date.now();
    await kube.objects.patch(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'gated-pod', namespace, annotations: { 'tekton.dev/ready': 'READY' } },
      },
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.MergePatch,
    );
    const done = await waitPod(kube, namespace, 'gated-pod', 'finished', isFinished, 120_000);
    const one = terminatedOf(done, 'step-one');
    expect(one?.exitCode).toBe(0);
    const started = Date.parse(byKey(terminationResults(one?.message)).StartedAt?.value ?? '');
    expect(started).toBeGreaterThanOrEqual(patchedAt - 1000);
    console.log(`[tekton-entrypoint] ready annotation -> first step started: ${started - patchedAt} ms`);
  });

  test('onError continue records the exit code and lets the next step run; a step timeout fails it', async ({
    kube,
    namespace,
  }) => {
    const pod = tektonShapedPod({
      name: 'errors-pod',
      taskRun: 'errors',
      steps: [
        busyboxStep('one', 'exit 5', { onError: 'continue' }),
        busyboxStep('slow', 'sleep 30', { timeout: '1s' }),
        busyboxStep('after', 'echo never'),
      ],
    });
    await create(kube, namespace, pod);
    const done = await waitPod(kube, namespace, 'errors-pod', 'finished', isFinished, 90_000);
    expect(done.status?.phase).toBe('Failed');
    const one = terminatedOf(done, 'step-one');
    expect(one?.exitCode).toBe(0);
    expect(byKey(terminationResults(one?.message)).ExitCode).toEqual({ key: 'ExitCode', value: '5', type: 3 });
    const slow = terminatedOf(done, 'step-slow');
    expect(slow?.exitCode).toBe(1);
    expect(byKey(terminationResults(slow?.message)).Reason?.value).toBe('TimeoutExceeded');
    const after = terminatedOf(done, 'step-after');
    expect(after?.exitCode).toBe(1);
    expect(byKey(terminationResults(after?.message)).Reason?.value).toBe('Skipped');
  });
});
