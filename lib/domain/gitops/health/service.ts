import { z } from 'zod';
import type { KubeObject } from '../k8s-object';
import { readAs, type HealthStatus } from './types';

export const ZLoadBalancerStatus = z
  .looseObject({
    ingress: z.array(z.looseObject({ ip: z.string().optional(), hostname: z.string().optional() })).optional(),
  })
  .optional();

const ZService = z.looseObject({
  spec: z.looseObject({ type: z.string().optional() }).optional(),
  status: z.looseObject({ loadBalancer: ZLoadBalancerStatus }).optional(),
});

/** gitops-engine `getCorev1ServiceHealth`: only a LoadBalancer waits, for an ingress address. */
export function serviceHealth(obj: KubeObject): HealthStatus {
  return readAs(ZService, obj, (svc) => {
    if (svc.spec?.type !== 'LoadBalancer') return { status: 'Healthy' };
    if ((svc.status?.loadBalancer?.ingress ?? []).length > 0) return { status: 'Healthy' };
    return { status: 'Progressing', message: 'Waiting for the load balancer to get an address' };
  });
}
