import { z } from 'zod';
import type { KubeObject } from '../k8s-object';
import { findCondition, readAs, ZCondition, type HealthStatus } from './types';

const ZContainerState = z.looseObject({
  waiting: z.looseObject({ reason: z.string().optional(), message: z.string().optional() }).optional(),
  terminated: z
    .looseObject({ reason: z.string().optional(), message: z.string().optional(), exitCode: z.number().optional() })
    .optional(),
});
const ZContainerStatus = z.looseObject({
  name: z.string().optional(),
  state: ZContainerState.optional(),
  lastState: ZContainerState.optional(),
});
type ContainerStatus = z.infer<typeof ZContainerStatus>;

const ZPod = z.looseObject({
  metadata: z.looseObject({ annotations: z.record(z.string(), z.string()).optional() }),
  spec: z.looseObject({ restartPolicy: z.string().optional() }).optional(),
  status: z
    .looseObject({
      phase: z.string().optional(),
      message: z.string().optional(),
      conditions: z.array(ZCondition).optional(),
      containerStatuses: z.array(ZContainerStatus).optional(),
      initContainerStatuses: z.array(ZContainerStatus).optional(),
    })
    .optional(),
});

/** Lets an operator-managed pod with restartPolicy Never/OnFailure be judged by readiness. */
export const ANNOTATION_IGNORE_RESTART_POLICY = 'argocd.argoproj.io/ignore-restart-policy';

function isWaitingOnError(reason: string | undefined): boolean {
  if (!reason) return false;
  return reason.startsWith('Err') || reason.endsWith('Error') || reason.endsWith('BackOff');
}

function failMessage(c: ContainerStatus): string {
  const t = c.state?.terminated;
  if (!t) return '';
  if (t.message) return t.message;
  if (t.reason === 'OOMKilled') return t.reason;
  if (t.exitCode !== undefined && t.exitCode !== 0)
    return `container "${c.name ?? ''}" failed with exit code ${t.exitCode}`;
  return '';
}

/**
 * gitops-engine `getCorev1PodHealth`. Waiting-on-error states (CrashLoopBackOff, ImagePullBackOff,
 * ErrImagePull...) degrade only long-running pods (restartPolicy Always): a hook pod with
 * ImagePullBackOff must not fail its phase early, because Kubernetes may still run it.
 */
export function podHealth(obj: KubeObject): HealthStatus {
  return readAs(ZPod, obj, (pod) => {
    // The API server defaults restartPolicy to Always.
    const restartPolicy = pod.spec?.restartPolicy ?? 'Always';
    const status = pod.status ?? {};
    const message = status.message;
    const containers = status.containerStatuses ?? [];
    if (restartPolicy === 'Always') {
      const waiting = containers.filter((c) => isWaitingOnError(c.state?.waiting?.reason));
      if (waiting.length > 0) {
        return { status: 'Degraded', message: waiting.map((c) => c.state?.waiting?.message ?? '').join(', ') };
      }
    }
    switch (status.phase) {
      case 'Pending':
        return { status: 'Progressing', message };
      case 'Succeeded':
        return { status: 'Healthy', message };
      case 'Failed': {
        if (message) return { status: 'Degraded', message };
        for (const c of [...(status.initContainerStatuses ?? []), ...containers]) {
          const msg = failMessage(c);
          if (msg) return { status: 'Degraded', message: msg };
        }
        return { status: 'Degraded', message: '' };
      }
      case 'Running': {
        const judgeByReadiness =
          restartPolicy === 'Always' || pod.metadata.annotations?.[ANNOTATION_IGNORE_RESTART_POLICY] !== undefined;
        // Pods that run to completion (Never/OnFailure) are usually hooks: running is not done yet.
        if (!judgeByReadiness) return { status: 'Progressing', message };
        if (findCondition(status.conditions, 'Ready')?.status === 'True') return { status: 'Healthy', message };
        if (containers.some((c) => c.lastState?.terminated !== undefined)) return { status: 'Degraded', message };
        return { status: 'Progressing', message };
      }
      default:
        return { status: 'Unknown', message };
    }
  });
}
