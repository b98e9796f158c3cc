import { z } from 'zod';
import type { KubeObject } from '../k8s-object';
import { generationPending, progressing, rolloutStatus } from './rollout';
import { findCondition, int, readAs, ZCondition, ZGenerationMeta, type HealthStatus } from './types';

const ZDeployment = z.looseObject({
  metadata: ZGenerationMeta,
  spec: z.looseObject({ paused: z.boolean().optional(), replicas: int.optional() }).optional(),
  status: rolloutStatus({
    replicas: int.optional(),
    updatedReplicas: int.optional(),
    availableReplicas: int.optional(),
    conditions: z.array(ZCondition).optional(),
  }),
});

/** gitops-engine `getAppsv1DeploymentHealth`, itself borrowed from `kubectl rollout status`. */
export function deploymentHealth(obj: KubeObject): HealthStatus {
  return readAs(ZDeployment, obj, (d) => {
    if (d.spec?.paused) return { status: 'Suspended', message: 'Deployment is paused' };
    const status = d.status ?? {};
    const pending = generationPending(d.metadata.generation, status.observedGeneration, 'deployment');
    if (pending) return pending;
    const updated = status.updatedReplicas ?? 0;
    const current = status.replicas ?? 0;
    const available = status.availableReplicas ?? 0;
    const progressCondition = findCondition(status.conditions, 'Progressing');
    if (progressCondition?.reason === 'ProgressDeadlineExceeded') {
      return { status: 'Degraded', message: `Deployment "${d.metadata.name ?? ''}" exceeded its progress deadline` };
    }
    const wanted = d.spec?.replicas;
    if (wanted !== undefined && updated < wanted)
      return progressing(
        `Waiting for rollout to finish: ${updated} out of ${wanted} new replicas have been updated...`,
      );
    if (current > updated)
      return progressing(`Waiting for rollout to finish: ${current - updated} old replicas are pending termination...`);
    if (available < updated)
      return progressing(`Waiting for rollout to finish: ${available} of ${updated} updated replicas are available...`);
    return { status: 'Healthy' };
  });
}
