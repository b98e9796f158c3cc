import { z } from 'zod';
import type { KubeObject } from '../k8s-object';
import { int, readAs, ZGenerationMeta, type HealthStatus } from './types';

const ZDaemonSet = z.looseObject({
  metadata: ZGenerationMeta,
  spec: z.looseObject({ updateStrategy: z.looseObject({ type: z.string().optional() }).optional() }).optional(),
  status: z
    .looseObject({
      observedGeneration: int.optional(),
      desiredNumberScheduled: int.optional(),
      updatedNumberScheduled: int.optional(),
      numberAvailable: int.optional(),
    })
    .optional(),
});

/** gitops-engine `getAppsv1DaemonSetHealth`. A DaemonSet is never Degraded there. */
export function daemonSetHealth(obj: KubeObject): HealthStatus {
  return readAs(ZDaemonSet, obj, (ds) => {
    const status = ds.status ?? {};
    if ((ds.metadata.generation ?? 0) > (status.observedGeneration ?? 0)) {
      return {
        status: 'Progressing',
        message: 'Waiting for rollout to finish: observed daemon set generation less than desired generation',
      };
    }
    const desired = status.desiredNumberScheduled ?? 0;
    const updated = status.updatedNumberScheduled ?? 0;
    const available = status.numberAvailable ?? 0;
    const name = ds.metadata.name ?? '';
    if (ds.spec?.updateStrategy?.type === 'OnDelete') {
      return { status: 'Healthy', message: `daemon set ${updated} out of ${desired} new pods have been updated` };
    }
    if (updated < desired) {
      return {
        status: 'Progressing',
        message: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...`,
      };
    }
    if (available < desired) {
      return {
        status: 'Progressing',
        message: `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...`,
      };
    }
    return { status: 'Healthy' };
  });
}
