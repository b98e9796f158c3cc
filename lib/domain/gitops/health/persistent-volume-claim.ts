import { z } from 'zod';
import type { KubeObject } from '../k8s-object';
import { readAs, type HealthStatus } from './types';

const ZPvc = z.looseObject({ status: z.looseObject({ phase: z.string().optional() }).optional() });

/** gitops-engine `getCorev1PVCHealth`: Bound → Healthy, Pending → Progressing, Lost → Degraded. */
export function persistentVolumeClaimHealth(obj: KubeObject): HealthStatus {
  return readAs(ZPvc, obj, (pvc) => {
    switch (pvc.status?.phase) {
      case 'Bound':
        return { status: 'Healthy' };
      case 'Pending':
        return { status: 'Progressing' };
      case 'Lost':
        return { status: 'Degraded' };
      default:
        return { status: 'Unknown' };
    }
  });
}
