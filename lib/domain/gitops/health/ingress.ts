import { z } from 'zod';
import type { KubeObject } from '../k8s-object';
import { ZLoadBalancerStatus } from './service';
import { readAs, type HealthStatus } from './types';

const ZIngress = z.looseObject({ status: z.looseObject({ loadBalancer: ZLoadBalancerStatus }).optional() });

/** gitops-engine `getNetworkingv1IngressHealth`: Healthy once it has a load-balancer ingress entry. */
export function ingressHealth(obj: KubeObject): HealthStatus {
  return readAs(ZIngress, obj, (ing) => {
    if ((ing.status?.loadBalancer?.ingress ?? []).length > 0) return { status: 'Healthy' };
    return { status: 'Progressing', message: 'Waiting for the ingress to get a load-balancer address' };
  });
}
