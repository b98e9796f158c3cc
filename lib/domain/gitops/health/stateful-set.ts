import { z } from 'zod';
import type { KubeObject } from '../k8s-object';
import { progressing, rolloutStatus } from './rollout';
import { int, readAs, ZGenerationMeta, type HealthStatus } from './types';

const ZStatefulSet = z.looseObject({
  metadata: ZGenerationMeta,
  spec: z
    .looseObject({
      replicas: int.optional(),
      updateStrategy: z
        .looseObject({
          type: z.string().optional(),
          rollingUpdate: z.looseObject({ partition: int.optional() }).optional(),
        })
        .optional(),
    })
    .optional(),
  status: rolloutStatus({
    readyReplicas: int.optional(),
    updatedReplicas: int.optional(),
    currentReplicas: int.optional(),
    currentRevision: z.string().optional(),
    updateRevision: z.string().optional(),
  }),
});

/** gitops-engine `getAppsv1StatefulSetHealth`. A StatefulSet is never Degraded there. */
export function statefulSetHealth(obj: KubeObject): HealthStatus {
  return readAs(ZStatefulSet, obj, (sts) => {
    const status = sts.status ?? {};
    const observed = status.observedGeneration ?? 0;
    if (observed === 0 || (sts.metadata.generation ?? 0) > observed) {
      return progressing('Waiting for statefulset spec update to be observed...');
    }
    const replicas = sts.spec?.replicas;
    const ready = status.readyReplicas ?? 0;
    const updated = status.updatedReplicas ?? 0;
    if (replicas !== undefined && ready < replicas) {
      return progressing(`Waiting for ${replicas - ready} pods to be ready...`);
    }
    const strategy = sts.spec?.updateStrategy;
    // The API server defaults the strategy to RollingUpdate, so an absent type means RollingUpdate.
    if ((strategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && strategy?.rollingUpdate) {
      const partition = strategy.rollingUpdate.partition;
      if (replicas !== undefined && partition !== undefined && updated < replicas - partition) {
        return progressing(
          `Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...`,
        );
      }
      return { status: 'Healthy', message: `partitioned roll out complete: ${updated} new pods have been updated...` };
    }
    if (strategy?.type === 'OnDelete') {
      return { status: 'Healthy', message: `statefulset has ${ready} ready pods` };
    }
    if (status.updateRevision !== status.currentRevision) {
      return progressing(
        `waiting for statefulset rolling update to complete ${updated} pods at revision ${status.updateRevision ?? ''}...`,
      );
    }
    return {
      status: 'Healthy',
      message: `statefulset rolling update complete ${status.currentReplicas ?? 0} pods at revision ${status.currentRevision ?? ''}...`,
    };
  });
}
