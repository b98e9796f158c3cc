/**
 * The pipeline semantics suite's Kubernetes side: in the `cluster` vitest project (a test cluster with a real node),
 * useHarness() gives the engine the Kubernetes executor as a worker's Settings → Pipelines would, so the same tests
 * run every TaskRun as a pod on the real node. In the `integration` project nothing here is used.
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { kubernetesOnRealNode, type RealNodeExecutor } from './support/kubernetes-on-real-node';

/** The real node's registry, only in the `cluster` project (tests/integration/cluster/global-setup.ts). */
const realNode: { registry: string } | undefined = (() => {
  const raw = inject('realNode');
  return raw ? (JSON.parse(raw) as { registry: string }) : undefined;
})();

/**
 * True when this file runs under the Kubernetes executor. Tests asserting what only the local executor does (its
 * bubblewrap refusals, host folders, the worker's own tools) use `it.skipIf(onKubernetes)` with the reason.
 */
export const onKubernetes: boolean = realNode !== undefined;

if (!realNode && inject('kubeconfig'))
  console.warn(
    '\n!!!!! pipeline semantics in the cluster project WITHOUT a real node: they run on the local executor !!!!!\n',
  );

/** The Kubernetes executor for one test file, in a namespace of its own (TaskRun names repeat across files). */
export function kubernetesSide(): RealNodeExecutor {
  if (!realNode) throw new Error('kubernetesSide() needs the cluster project with a real node');
  return kubernetesOnRealNode({
    kubeconfigPath: inject('kubeconfig'),
    registry: realNode.registry,
    namespace: `sem-${randomBytes(4).toString('hex')}`,
    // An image the registry lacks fails in bounded time rather than after the product's 5 minutes.
    startTimeoutMs: 30_000,
    onHookError: (e) => console.error('[semantics on kubernetes] hook failed:', e),
  });
}
