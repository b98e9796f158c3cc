import { z } from 'zod';
import type { KubeObject } from '../k8s-object';
import { findCondition, int, readAs, ZCondition, ZGenerationMeta, type HealthStatus } from './types';

const ZReplicaSet = z.looseObject({
  metadata: ZGenerationMeta,
  spec: z.looseObject({ replicas: int.optional() }).optional(),
  status: z
    .looseObject({
      observedGeneration: int.optional(),
      availableReplicas: int.optional(),
      conditions: z.array(ZCondition).optional(),
    })
    .optional(),
});

/** gitops-engine `getAppsv1ReplicaSetHealth`: condition ReplicaFailure=True → Degraded. */
export function replicaSetHealth(obj: KubeObject): HealthStatus {
  return readAs(ZReplicaSet, obj, (rs) => {
    const status = rs.status ?? {};
    if ((rs.metadata.generation ?? 0) > (status.observedGeneration ?? 0)) {
      return {
        status: 'Progressing',
        message: 'Waiting for rollout to finish: observed replica set generation less than desired generation',
      };
    }
    const failure = findCondition(status.conditions, 'ReplicaFailure');
    if (failure?.status === 'True') return { status: 'Degraded', message: failure.message };
    const wanted = rs.spec?.replicas;
    const available = status.availableReplicas ?? 0;
    if (wanted !== undefined && available < wanted) {
      return {
        status: 'Progressing',
        message: `Waiting for rollout to finish: ${available} out of ${wanted} new replicas are available...`,
      };
    }
    return { status: 'Healthy' };
  });
}
