import { groupOf, type KubeObject } from '../k8s-object';
import { cronJobHealth } from './cron-job';
import { daemonSetHealth } from './daemon-set';
import { deploymentHealth } from './deployment';
import { horizontalPodAutoscalerHealth } from './horizontal-pod-autoscaler';
import { ingressHealth } from './ingress';
import { jobHealth } from './job';
import { persistentVolumeClaimHealth } from './persistent-volume-claim';
import { podHealth } from './pod';
import { replicaSetHealth } from './replica-set';
import { serviceHealth } from './service';
import { statefulSetHealth } from './stateful-set';
import type { HealthStatus } from './types';

export { aggregateHealth, type HealthEntry } from './aggregate';
export { HEALTH_STATUSES, healthSeverity, isWorse, type HealthStatus, type HealthStatusCode } from './types';

export type HealthCheck = (obj: KubeObject) => HealthStatus;

/** Built-in rules by `group/kind`, as gitops-engine's `GetHealthCheckFunc` dispatches them. */
const CHECKS: Record<string, HealthCheck> = {
  'apps/Deployment': deploymentHealth,
  'extensions/Deployment': deploymentHealth,
  'apps/StatefulSet': statefulSetHealth,
  'apps/DaemonSet': daemonSetHealth,
  'extensions/DaemonSet': daemonSetHealth,
  'apps/ReplicaSet': replicaSetHealth,
  'extensions/ReplicaSet': replicaSetHealth,
  '/Pod': podHealth,
  '/Service': serviceHealth,
  '/PersistentVolumeClaim': persistentVolumeClaimHealth,
  'networking.k8s.io/Ingress': ingressHealth,
  'extensions/Ingress': ingressHealth,
  'batch/Job': jobHealth,
  'batch/CronJob': cronJobHealth,
  'autoscaling/HorizontalPodAutoscaler': horizontalPodAutoscalerHealth,
};

export function healthCheckFor(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): HealthCheck | undefined {
  return CHECKS[`${groupOf(obj.apiVersion)}/${obj.kind}`];
}

/**
 * Health of one live object; `undefined` (not in the cluster) is Missing. An object being deleted is
 * Progressing whatever its kind; kinds without a rule are Healthy once they exist.
 */
export function assessHealth(obj: KubeObject | undefined): HealthStatus {
  if (!obj) return { status: 'Missing' };
  if (obj.metadata.deletionTimestamp) return { status: 'Progressing', message: 'Pending deletion' };
  const check = healthCheckFor(obj);
  return check ? check(obj) : { status: 'Healthy' };
}
