/**
 * The shared test cluster's real node (kubelet + containerd + runc), for tests in the `cluster` project.
 *   const realNode = realNodeOrSkip();
 *   describe.skipIf(!realNode)('...', () => { ... spec: onRealNode({ containers: [...] }) ... });
 * Pods land there only with onRealNode(): it is tainted keelson.dev/real-node=true:NoSchedule.
 */
import type { V1PodSpec, V1Toleration } from '@kubernetes/client-node';
import { inject } from 'vitest';

export interface RealNodeInfo {
  nodeName: string;
  /** 127.0.0.1:<port> of the local registry the node pulls every image from. */
  registry: string;
  bridge: string;
  subnet: string;
}

export const REAL_NODE_LABEL = 'keelson.dev/real-node';

export const realNodeToleration: V1Toleration = {
  key: REAL_NODE_LABEL,
  operator: 'Equal',
  value: 'true',
  effect: 'NoSchedule',
};

let warned = false;

/**
 * The real node, or null after one loud line when this host cannot run one (tests then skip).
 * Under CI=true a missing real node is a failure.
 */
export function realNodeOrSkip(): RealNodeInfo | null {
  const raw = inject('realNode');
  if (raw) return JSON.parse(raw) as RealNodeInfo;
  const why = inject('realNodeSkipReason') || 'the cluster was started without a real node';
  if (process.env.CI === 'true') throw new Error(`real-node tests cannot run under CI: ${why}`);
  if (!warned) console.warn(`\n!!!!! REAL-NODE TESTS SKIPPED: ${why} !!!!!\n`);
  warned = true;
  return null;
}

/** A copy of `spec` that runs on the real node: its nodeSelector and the toleration for its taint. */
export function onRealNode(spec: V1PodSpec): V1PodSpec {
  const tolerations = spec.tolerations ?? [];
  const has = tolerations.some((t) => t.key === REAL_NODE_LABEL && t.effect === 'NoSchedule');
  return {
    ...spec,
    nodeSelector: { ...spec.nodeSelector, [REAL_NODE_LABEL]: 'true' },
    tolerations: has ? tolerations : [...tolerations, realNodeToleration],
  };
}
