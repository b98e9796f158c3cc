/**
 * Workloads on the real node (kubelet + containerd + runc): exit codes, logs, init containers,
 * termination messages, probes, cgroup limits, pod networking and images by their unchanged names.
 */
import { describe, expect } from 'vitest';
import { clusterTest as test, randomName, waitFor } from './cluster';
import { onRealNode, realNodeOrSkip } from './real-node';
import {
  busybox,
  eventsOf,
  isReady,
  podLogs,
  runOnRealNode,
  runToCompletion,
  terminatedOf,
  waitPod,
} from './real-node-pods';

const realNode = realNodeOrSkip();
const MEMORY_LIMIT = 64 * 1024 * 1024;

/** A busybox httpd on :8080 serving `body` at /index.html (logging each request), after printing the memory limit. */
const httpd = (body: string) =>
  busybox(
    'web',
    // cgroup v1 mounts the container's own memory cgroup; cgroup v2 has memory.max instead.
    'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max; ' +
      `mkdir -p /www && echo "${body}" > /www/index.html && exec httpd -f -vv -p 8080 -h /www`,
    {
      ports: [{ containerPort: 8080 }],
      readinessProbe: { httpGet: { path: '/index.html', port: 8080 }, periodSeconds: 1 },
      resources: { limits: { memory: '64Mi', cpu: '100m' } },
    },
  );

describe.skipIf(!realNode)('workloads on the real node', () => {
  test('a failing container reports its exit code, and its stdout and stderr are in the log', async ({
    kube,
    namespace,
  }) => {
    const { pod, logs } = await runToCompletion(kube, namespace, 'exits', {
      containers: [busybox('main', 'echo out; echo err >&2; exit 7')],
    });
    expect(pod.spec?.nodeName).toBe(realNode?.nodeName);
    expect(pod.status?.phase).toBe('Failed');
    expect(terminatedOf(pod)).toMatchObject({ exitCode: 7, reason: 'Error' });
    expect(logs.split('\n')).toEqual(expect.arrayContaining(['out', 'err']));
  });

  test('an init container writes into an emptyDir that the main container reads', async ({ kube, namespace }) => {
    const { pod, logs } = await runToCompletion(kube, namespace, 'init', {
      volumes: [{ name: 'shared', emptyDir: {} }],
      initContainers: [
        busybox('prepare', 'echo "prepared by $HOSTNAME" > /shared/note', {
          volumeMounts: [{ name: 'shared', mountPath: '/shared' }],
        }),
      ],
      containers: [busybox('main', 'cat /shared/note', { volumeMounts: [{ name: 'shared', mountPath: '/shared' }] })],
    });
    expect(pod.status?.phase).toBe('Succeeded');
    expect(terminatedOf(pod, 'prepare')).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(logs.trim()).toBe('prepared by init');
  });

  test('a termination message comes from terminationMessagePath, or from the log tail on error', async ({
    kube,
    namespace,
  }) => {
    const [file, fallback, fallbackOk] = await Promise.all([
      runToCompletion(kube, namespace, 'msg-file', {
        containers: [
          busybox('main', 'echo "written to the file" > /tmp/why; echo "only a log line"', {
            terminationMessagePath: '/tmp/why',
          }),
        ],
      }),
      runToCompletion(kube, namespace, 'msg-fallback', {
        containers: [
          busybox('main', 'echo first; echo "last words"; exit 3', {
            terminationMessagePolicy: 'FallbackToLogsOnError',
          }),
        ],
      }),
      // The fallback is used on error only: a successful container keeps an empty message.
      runToCompletion(kube, namespace, 'msg-fallback-ok', {
        containers: [busybox('main', 'echo fine', { terminationMessagePolicy: 'FallbackToLogsOnError' })],
      }),
    ]);
    expect(terminatedOf(file.pod)).toMatchObject({ exitCode: 0, message: 'written to the file\n' });
    expect(terminatedOf(fallback.pod)).toMatchObject({ exitCode: 3, message: 'first\nlast words\n' });
    expect(terminatedOf(fallbackOk.pod)?.exitCode).toBe(0);
    expect(terminatedOf(fallbackOk.pod)?.message).toBeUndefined();
  });

  test('a Deployment of 2 replicas with an HTTP readiness probe becomes Available; the memory limit is in the cgroup', async ({
    kube,
    namespace,
  }) => {
    const labels = { app: 'web' };
    await kube.apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: onRealNode({ terminationGracePeriodSeconds: 1, containers: [httpd('hello')] }),
          },
        },
      },
    });
    await waitFor(
      'deployment web Available with 2 ready replicas',
      async () => {
        const d = await kube.apps.readNamespacedDeployment({ name: 'web', namespace });
        const available = d.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True');
        return available && d.status?.readyReplicas === 2 && d.status.availableReplicas === 2;
      },
      { timeoutMs: 60_000 },
    );
    const pods = (await kube.core.listNamespacedPod({ namespace, labelSelector: 'app=web' })).items;
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(pod.spec?.nodeName).toBe(realNode?.nodeName);
      expect(isReady(pod)).toBe(true);
      expect(pod.status?.containerStatuses?.[0]).toMatchObject({ ready: true, started: true, restartCount: 0 });
      const firstLine = (await podLogs(kube, namespace, pod.metadata?.name ?? '')).split('\n')[0];
      expect(Number(firstLine)).toBe(MEMORY_LIMIT);
    }
  });

  test('pod-to-pod traffic: one pod fetches what another serves, by pod IP', async ({ kube, namespace }) => {
    const body = randomName('served');
    await runOnRealNode(kube, namespace, 'server', { containers: [httpd(body)] });
    const server = await waitPod(kube, namespace, 'server', 'Ready', isReady);
    const ip = server.status?.podIP ?? '';
    expect(ip).not.toBe(server.status?.hostIP);
    const { pod, logs } = await runToCompletion(kube, namespace, 'client', {
      containers: [
        // Not `wget -T`: Debian's busybox 1.35 wget segfaults with it; `timeout` bounds the request instead.
        busybox('main', `timeout 10 wget -qO- http://${ip}:8080/index.html`),
      ],
    });
    expect(terminatedOf(pod)?.exitCode, logs).toBe(0);
    expect(logs.trim()).toBe(body);
    // httpd -vv logs each peer: the request came from the client pod's own IP, not through the host.
    const clientIP = pod.status?.podIP ?? '';
    expect(clientIP).not.toBe(ip);
    expect(await podLogs(kube, namespace, 'server')).toContain(`[::ffff:${clientIP}]`);
  });

  test('a pod whose requests do not fit the node stays Pending with FailedScheduling, not crashed', async ({
    kube,
    namespace,
  }) => {
    await runOnRealNode(kube, namespace, 'too-big', {
      containers: [busybox('main', 'sleep 3600', { resources: { requests: { cpu: '512', memory: '4Ti' } } })],
    });
    const pod = await waitPod(kube, namespace, 'too-big', 'Unschedulable', (p) =>
      (p.status?.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable'),
    );
    expect(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message).toMatch(
      /Insufficient (cpu|memory)/,
    );
    const events = await waitFor('a FailedScheduling event', async () => {
      const all = await eventsOf(kube, namespace, 'too-big');
      return all.some((e) => e.reason === 'FailedScheduling') ? all : undefined;
    });
    expect(events.find((e) => e.reason === 'FailedScheduling')?.type).toBe('Warning');
    await new Promise((r) => setTimeout(r, 2000));
    const later = await kube.core.readNamespacedPod({ name: 'too-big', namespace });
    expect(later.status?.phase).toBe('Pending');
    expect(later.spec?.nodeName).toBeUndefined();
    expect(later.status?.containerStatuses ?? []).toHaveLength(0);
  });
});
