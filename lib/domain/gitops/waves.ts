import { annotation, type KubeObject } from './k8s-object';
import { HELM_ANNOTATION_HOOK_WEIGHT } from './hooks';

export const ANNOTATION_SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/** Go's strconv.Atoi accepts an optional sign and decimal digits, nothing else. */
function atoi(text: string | undefined): number | undefined {
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** `argocd.argoproj.io/sync-wave`, else `helm.sh/hook-weight`, else 0; unparsable values count as absent. */
export function syncWave(obj: KubeObject): number {
  return atoi(annotation(obj, ANNOTATION_SYNC_WAVE)) ?? atoi(annotation(obj, HELM_ANNOTATION_HOOK_WEIGHT)) ?? 0;
}

/** gitops-engine `sync_tasks.go` kindOrder (from Helm's kind_sorter). */
export const KIND_ORDER = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
] as const;

const KIND_RANK = new Map<string, number>(KIND_ORDER.map((kind, i) => [kind, i - KIND_ORDER.length]));

/** Negative for known kinds in order; 0 (last) for custom resources and anything unlisted. */
export function kindRank(kind: string): number {
  return KIND_RANK.get(kind) ?? 0;
}
