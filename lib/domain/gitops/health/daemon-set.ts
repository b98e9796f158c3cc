import { z } from 'zod';
import type { KubeObject } from '../k8s-object';
import { generationPending, progressing, rolloutStatus } from './rollout';
import { int, readAs, ZGenerationMeta, type HealthStatus } from './types';

const ZDaemonSet = z.looseObject({
  metadata: ZGenerationMeta,
  spec: z.looseObject({ updateStrategy: z.looseObject({ type: z.string().optional() }).optional() }).optional(),
  status: rolloutStatus({
    desiredNumberScheduled: int.optional(),
    updatedNumberScheduled: int.optional(),
    numberAvailable: int.optional(),
  }),
});

/** gitops-engine `getAppsv1DaemonSetHealth`. A DaemonSet is never Degraded there. */
export function daemonSetHealth(obj: KubeObject): HealthStatus {
  return readAs(ZDaemonSet, obj, (ds) => {
    const status = ds.status ?? {};
    const pending = generationPending(ds.metadata.generation, status.observedGeneration, 'daemon set');
    if (pending) return pending;
    const desired = status.desiredNumberScheduled ?? 0;
    const updated = status.updatedNumberScheduled ?? 0;
    const available = status.numberAvailable ?? 0;
    const name = ds.metadata.name ?? '';
    if (ds.spec?.updateStrategy?.type === 'OnDelete') {
      return { status: 'Healthy', message: `daemon set ${updated} out of ${desired} new pods have been updated` };
    }
    const waiting = `Waiting for daemon set "${name}" rollout to finish:`;
    if (updated < desired) return progressing(`${waiting} ${updated} out of ${desired} new pods have been updated...`);
    if (available < desired) return progressing(`${waiting} ${available} of ${desired} updated pods are available...`);
    return { status: 'Healthy' };
  });
}
