/**
 * What the logs panel shows of a pod (its containers and their states) and which pod and container a logs
 * request means when it names none: pure functions of live Pod objects.
 */
import { z } from 'zod';
import type { TPodContainer, TPodSummary } from '@/lib/schemas/pod-logs';
import type { KubeObject } from '../k8s-object';

/** kubectl's annotation naming the container `kubectl logs` and `kubectl exec` pick by default. */
export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

const ZContainerStatus = z.looseObject({
  name: z.string(),
  restartCount: z.number().optional(),
  ready: z.boolean().optional(),
  state: z
    .looseObject({
      running: z.looseObject({}).optional(),
      waiting: z.looseObject({ reason: z.string().optional() }).optional(),
      terminated: z.looseObject({ reason: z.string().optional(), exitCode: z.number().optional() }).optional(),
    })
    .optional(),
});

const ZPod = z.looseObject({
  metadata: z.looseObject({
    name: z.string().default(''),
    namespace: z.string().default(''),
    creationTimestamp: z.string().nullish(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z
    .looseObject({
      containers: z.array(z.looseObject({ name: z.string() })).default([]),
      initContainers: z.array(z.looseObject({ name: z.string() })).default([]),
    })
    .default({ containers: [], initContainers: [] }),
  status: z
    .looseObject({
      phase: z.string().optional(),
      startTime: z.string().nullish(),
      conditions: z.array(z.looseObject({ type: z.string(), status: z.string() })).optional(),
      containerStatuses: z.array(ZContainerStatus).optional(),
      initContainerStatuses: z.array(ZContainerStatus).optional(),
    })
    .default({}),
});
type Pod = z.infer<typeof ZPod>;
type ContainerStatus = z.infer<typeof ZContainerStatus>;

function parsePod(obj: KubeObject): Pod {
  return ZPod.parse(obj);
}

/** Init containers first (they run first), then the app's containers, in spec order. */
export function containerNames(obj: KubeObject): { name: string; init: boolean }[] {
  const pod = parsePod(obj);
  return [
    ...pod.spec.initContainers.map((c) => ({ name: c.name, init: true })),
    ...pod.spec.containers.map((c) => ({ name: c.name, init: false })),
  ];
}

/** The annotated default container when the pod has it, else the first (non-init) container, as kubectl. */
export function defaultContainer(obj: KubeObject): string {
  const pod = parsePod(obj);
  const named = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (named && pod.spec.containers.some((c) => c.name === named)) return named;
  return pod.spec.containers[0]?.name ?? pod.spec.initContainers[0]?.name ?? '';
}

function stateOf(status: ContainerStatus | undefined): Pick<TPodContainer, 'state' | 'reason'> {
  const s = status?.state;
  if (s?.running) return { state: 'running' };
  if (s?.terminated) return { state: 'terminated', ...(s.terminated.reason ? { reason: s.terminated.reason } : {}) };
  if (s?.waiting?.reason) return { state: 'waiting', reason: s.waiting.reason };
  return { state: 'waiting' };
}

export function podSummary(obj: KubeObject): TPodSummary {
  const pod = parsePod(obj);
  const statuses = (list: ContainerStatus[] | undefined) => new Map((list ?? []).map((s) => [s.name, s]));
  const init = statuses(pod.status.initContainerStatuses);
  const main = statuses(pod.status.containerStatuses);
  const containers = containerNames(obj).map(({ name, init: isInit }) => {
    const status = (isInit ? init : main).get(name);
    return { name, init: isInit, restartCount: status?.restartCount ?? 0, ...stateOf(status) };
  });
  return {
    name: pod.metadata.name,
    namespace: pod.metadata.namespace,
    phase: pod.status.phase ?? 'Unknown',
    ready: pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    startedAt: pod.status.startTime ?? null,
    defaultContainer: defaultContainer(obj),
    containers,
  };
}

/** Newest first (creation time), then by name, so that the first pod is the one a rollout made last. */
export function newestFirst(a: KubeObject, b: KubeObject): number {
  const at = a.metadata.creationTimestamp ?? '';
  const bt = b.metadata.creationTimestamp ?? '';
  return bt.localeCompare(at) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** `k=v,k2=v2` of a workload's spec.selector.matchLabels, to narrow a pod list; undefined without one. */
export function matchLabelsSelector(workload: KubeObject): string | undefined {
  const parsed = z
    .looseObject({ selector: z.looseObject({ matchLabels: z.record(z.string(), z.string()).optional() }) })
    .safeParse(workload.spec);
  const labels = parsed.success ? parsed.data.selector.matchLabels : undefined;
  if (!labels || Object.keys(labels).length === 0) return undefined;
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
