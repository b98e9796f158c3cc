import { z } from 'zod';
import type { KubeObject } from '../k8s-object';
import { generationPending, progressing, rolloutStatus } from './rollout';
import { findCondition, int, readAs, ZCondition, ZGenerationMeta, type HealthStatus } from './types';

const ZReplicaSet = z.looseObject({
  metadata: ZGenerationMeta,
  spec: z.looseObject({ replicas: int.optional() }).optional(),
  status: rolloutStatus({ availableReplicas: int.optional(), conditions: z.array(ZCondition).optional() }),
});

/** gitops-engine `getAppsv1ReplicaSetHealth`: condition ReplicaFailure=True → Degraded. */
export function replicaSetHealth(obj: KubeObject): HealthStatus {
  return readAs(ZReplicaSet, obj, (rs) => {
    const status = rs.status ?? {};
    const pending = generationPending(rs.metadata.generation, status.observedGeneration, 'replica set');
    if (pending) return pending;
    const failure = findCondition(status.conditions, 'ReplicaFailure');
    if (failure?.status === 'True') return { status: 'Degraded', message: failure.message };
    const wanted = rs.spec?.replicas;
    const available = status.availableReplicas ?? 0;
    if (wanted !== undefined && available < wanted)
      return progressing(`Waiting for rollout to finish: ${available} out of ${wanted} new replicas are available...`);
    return { status: 'Healthy' };
  });
}
