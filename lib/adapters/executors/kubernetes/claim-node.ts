/**
 * A simple per-PipelineRun node pin (instead of Tekton's affinity assistant): a pod whose workspace is a claim that
 * the scheduler already placed (`volume.kubernetes.io/selected-node`, set for WaitForFirstConsumer classes) goes to
 * that node, so a ReadWriteOnce volume is never wanted on two nodes at once. Volumes whose PV has node affinity
 * (local volumes) are pinned by the scheduler itself.
 */
import type { TaskRunPlan } from '../../../domain/pipeline/task-run-plan';
import type { KubeConnection } from '../../k8s/connection';

export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';

/** The node the plan's claims are on, if the scheduler chose one; undefined when none did (or it cannot be read). */
export async function claimNode(
  conn: KubeConnection,
  namespace: string,
  plan: TaskRunPlan,
): Promise<string | undefined> {
  const claims = new Set<string>();
  for (const ws of plan.workspaces) {
    const s = ws.source;
    if (s?.kind === 'persistentVolumeClaim' || s?.kind === 'volumeClaimTemplate') claims.add(s.claimName);
  }
  for (const claim of claims) {
    const res = await conn.request({
      method: 'GET',
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/persistentvolumeclaims/${encodeURIComponent(claim)}`,
    });
    if (res.status !== 200) continue;
    const pvc = JSON.parse(res.body) as { metadata?: { annotations?: Record<string, string> } };
    const node = pvc.metadata?.annotations?.[SELECTED_NODE_ANNOTATION];
    if (node) return node;
  }
  return undefined;
}
