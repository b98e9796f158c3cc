/**
 * The Kubernetes executor against the test cluster's real node: an executor wired as a worker would wire it (the
 * real image config resolver reading the local registry through KEELSON_REGISTRY_MIRRORS-style mirrors), hand-written
 * TaskRun plans whose pods land on the real node, and hooks that record what the engine would be told.
 */
import { createKubernetesExecutor, type KubernetesExecutor } from '@/lib/adapters/executors/kubernetes';
import type { KubeConnection } from '@/lib/adapters/k8s/connection';
import { createImageConfigResolver } from '@/lib/adapters/registry';
import type { NamespaceIsolation } from '@/lib/domain/pipeline/namespace-isolation';
import { DEFAULT_ENTRYPOINT_IMAGE, DEFAULT_SHELL_IMAGE } from '@/lib/domain/pipeline/kubernetes/images';
import type {
  ExecutionHooks,
  LogLine,
  StepOutcome,
  StepPlan,
  TaskRunPlan,
  TaskRunTarget,
} from '@/lib/domain/pipeline/task-run-plan';
import { randomName } from './cluster';
import { connectTestCluster } from './k8s-helpers';
import { onRealNode, type RealNodeInfo } from './real-node';

let shared: Promise<KubeConnection> | undefined;
export const testConnection = (): Promise<KubeConnection> => (shared ??= connectTestCluster());

export interface ExecutorFixture {
  executor: KubernetesExecutor;
  hookErrors: unknown[];
}

export function testExecutor(
  realNode: RealNodeInfo,
  o: {
    startTimeoutMs?: number;
    keepFinishedPodsMs?: number;
    connect?: () => Promise<KubeConnection>;
    scriptsVia?: 'place-scripts' | 'secret';
    isolation?: NamespaceIsolation;
  } = {},
): ExecutorFixture {
  const registry = `http://${realNode.registry}`;
  const hookErrors: unknown[] = [];
  const executor = createKubernetesExecutor({
    connect: o.connect ?? testConnection,
    images: { entrypoint: DEFAULT_ENTRYPOINT_IMAGE, shell: DEFAULT_SHELL_IMAGE },
    imageConfig: createImageConfigResolver({
      mirrors: { 'docker.io': registry, 'ghcr.io': registry, _default: registry },
    }),
    startTimeoutMs: o.startTimeoutMs,
    keepFinishedPodsMs: o.keepFinishedPodsMs,
    scriptsVia: o.scriptsVia,
    isolation: o.isolation,
    onHookError: (e) => hookErrors.push(e),
  });
  return { executor, hookErrors };
}

/** A step; `onError` stopAndFail and no env unless given. */
export const step = (name: string, fields: Partial<StepPlan>): StepPlan => ({
  name,
  env: {},
  onError: 'stopAndFail',
  ...fields,
});

/** A plan whose pod runs on the real node (nodeSelector + toleration through the podTemplate). */
export function realNodePlan(fields: Partial<TaskRunPlan> & Pick<TaskRunPlan, 'steps'>): TaskRunPlan {
  const placement = onRealNode({ containers: [] });
  return {
    taskRunName: randomName('tr'),
    workspaces: [],
    resultNames: [],
    secretsToMask: [],
    ...fields,
    pod: {
      ...fields.pod,
      podTemplate: {
        nodeSelector: placement.nodeSelector,
        tolerations: placement.tolerations,
        ...fields.pod?.podTemplate,
      },
    },
  };
}

export const target = (namespace: string, extra: Partial<TaskRunTarget> = {}): TaskRunTarget => ({
  project: 'default',
  namespace,
  attempt: 0,
  ...extra,
});

/** What the engine would have been told, with the time each thing arrived. */
export interface Recorded {
  hooks: ExecutionHooks;
  lines: (LogLine & { arrivedAt: number })[];
  started: { step: string; at: Date; arrivedAt: number }[];
  finished: (StepOutcome & { arrivedAt: number })[];
  pods: { namespace: string; name: string }[];
  text(step: string): string[];
}

export function record(signal?: AbortSignal): Recorded {
  const r: Recorded = {
    lines: [],
    started: [],
    finished: [],
    pods: [],
    hooks: {
      onLogs: (lines) => void r.lines.push(...lines.map((l) => ({ ...l, arrivedAt: Date.now() }))),
      onStepStarted: (s, at) => void r.started.push({ step: s, at, arrivedAt: Date.now() }),
      onStepFinished: (o) => void r.finished.push({ ...o, arrivedAt: Date.now() }),
      onPodCreated: (pod) => void r.pods.push(pod),
      signal,
    },
    text: (s) => r.lines.filter((l) => l.step === s).map((l) => l.text),
  };
  return r;
}
