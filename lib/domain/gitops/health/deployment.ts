import { z } from 'zod';
import type { KubeObject } from '../k8s-object';
import { findCondition, int, readAs, ZCondition, ZGenerationMeta, type HealthStatus } from './types';

const ZDeployment = z.looseObject({
  metadata: ZGenerationMeta,
  spec: z.looseObject({ paused: z.boolean().optional(), replicas: int.optional() }).optional(),
  status: z
    .looseObject({
      observedGeneration: int.optional(),
      replicas: int.optional(),
      updatedReplicas: int.optional(),
      availableReplicas: int.optional(),
      conditions: z.array(ZCondition).optional(),
    })
    .optional(),
});

/** gitops-engine `getAppsv1DeploymentHealth`, itself borrowed from `kubectl rollout status`. */
export function deploymentHealth(obj: KubeObject): HealthStatus {
  return readAs(ZDeployment, obj, (d) => {
    if (d.spec?.paused) return { status: 'Suspended', message: 'Deployment is paused' };
    const status = d.status ?? {};
    const generation = d.metadata.generation ?? 0;
    if (generation > (status.observedGeneration ?? 0)) {
      return {
        status: 'Progressing',
        message: 'Waiting for rollout to finish: observed deployment generation less than desired generation',
      };
    }
    const updated = status.updatedReplicas ?? 0;
    const current = status.replicas ?? 0;
    const available = status.availableReplicas ?? 0;
    const progressing = findCondition(status.conditions, 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') {
      return { status: 'Degraded', message: `Deployment "${d.metadata.name ?? ''}" exceeded its progress deadline` };
    }
    const wanted = d.spec?.replicas;
    if (wanted !== undefined && updated < wanted) {
      return {
        status: 'Progressing',
        message: `Waiting for rollout to finish: ${updated} out of ${wanted} new replicas have been updated...`,
      };
    }
    if (current > updated) {
      return {
        status: 'Progressing',
        message: `Waiting for rollout to finish: ${current - updated} old replicas are pending termination...`,
      };
    }
    if (available < updated) {
      return {
        status: 'Progressing',
        message: `Waiting for rollout to finish: ${available} of ${updated} updated replicas are available...`,
      };
    }
    return { status: 'Healthy' };
  });
}
