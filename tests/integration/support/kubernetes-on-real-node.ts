/**
 * The Kubernetes executor against a test cluster with a real node (tests/cluster), wired as
 * workers/pipeline-cluster.ts wires it: one cached connection, Tekton's entrypoint and shell images, the image config
 * read from the local registry the node pulls from. Used by the pipeline semantics suite (cluster project) and by
 * `npm run bench:pipelines -- --executor kubernetes`; no vitest here.
 */
import { createKubernetesExecutor } from '../../../lib/adapters/executors/kubernetes';
import { deleteRunClaims } from '../../../lib/adapters/executors/kubernetes/claims';
import { connect } from '../../../lib/adapters/k8s/connect';
import type { KubeConnection } from '../../../lib/adapters/k8s/connection';
import { createImageConfigResolver } from '../../../lib/adapters/registry';
import { DEFAULT_ENTRYPOINT_IMAGE, DEFAULT_SHELL_IMAGE } from '../../../lib/domain/pipeline/kubernetes/images';
import type { TaskRunExecutor, TaskRunPlan } from '../../../lib/domain/pipeline/task-run-plan';
import type { KubernetesRuntime } from '../../../lib/server/pipeline/task-run-executors';

/** The real node's label and taint (tests/integration/cluster/real-node.ts). */
const REAL_NODE_LABEL = 'keelson.dev/real-node';

/**
 * A plan whose pod lands on the real node, as an installation's default pod template would place it: the node
 * selector and toleration under what the plan's own podTemplate says (the plan wins, as Tekton's default merges).
 */
export function onRealNode(plan: TaskRunPlan): TaskRunPlan {
  const own = plan.pod?.podTemplate ?? {};
  const tolerations = (own.tolerations as unknown[] | undefined) ?? [];
  return {
    ...plan,
    pod: {
      ...plan.pod,
      podTemplate: {
        ...own,
        nodeSelector: { [REAL_NODE_LABEL]: 'true', ...(own.nodeSelector as Record<string, string> | undefined) },
        tolerations: [...tolerations, { key: REAL_NODE_LABEL, operator: 'Equal', value: 'true', effect: 'NoSchedule' }],
      },
    },
  };
}

export interface RealNodeExecutor {
  /** What the engine's `kubernetes` option returns: TaskRuns in `namespace`, pods on the real node. */
  choice: KubernetesRuntime;
  /** The connection, once something used it. */
  opened(): Promise<KubeConnection> | undefined;
  /** Deletes the namespace (its pods, Secrets and claims go with it); never throws. */
  deleteNamespace(): Promise<void>;
}

export function kubernetesOnRealNode(o: {
  kubeconfigPath: string;
  /** 127.0.0.1:<port> of the registry the node pulls from. */
  registry: string;
  namespace: string;
  maxConcurrentTaskRuns?: number;
  startTimeoutMs?: number;
  onHookError?(error: unknown): void;
}): RealNodeExecutor {
  const registry = `http://${o.registry}`;
  let conn: Promise<KubeConnection> | undefined;
  const open = () => (conn ??= connect({ type: 'kubeconfig', path: o.kubeconfigPath }));
  const executor = createKubernetesExecutor({
    connect: open,
    images: { entrypoint: DEFAULT_ENTRYPOINT_IMAGE, shell: DEFAULT_SHELL_IMAGE },
    imageConfig: createImageConfigResolver({ mirrors: { 'docker.io': registry, _default: registry } }),
    startTimeoutMs: o.startTimeoutMs,
    onHookError: o.onHookError,
  });
  const placed: TaskRunExecutor = {
    kind: executor.kind,
    run: (plan, workDir, hooks, target) => executor.run(onRealNode(plan), workDir, hooks, target),
  };
  return {
    choice: {
      available: true,
      executor: placed,
      cluster: 'test',
      namespaceTemplate: o.namespace,
      maxConcurrentTaskRuns: o.maxConcurrentTaskRuns ?? 20,
      deleteRunClaims: async (run) =>
        void (await deleteRunClaims(await open(), run.namespace, {
          project: run.project,
          name: run.pipelineRunName,
          uid: run.pipelineRunUid,
        })),
    },
    opened: () => conn,
    async deleteNamespace() {
      if (!conn) return;
      const res = await (
        await conn
      )
        .request({ method: 'DELETE', path: `/api/v1/namespaces/${o.namespace}` })
        .catch((e: unknown) => ({ status: 0, body: String(e) }));
      if (res.status !== 200 && res.status !== 202 && res.status !== 404)
        console.error(`[kubernetes on real node] deleting namespace ${o.namespace}: ${res.status} ${res.body}`);
    },
  };
}
