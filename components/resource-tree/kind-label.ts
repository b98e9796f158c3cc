/** Short labels for the kind badge on tree nodes and in the resource list. */
const ABBREV: Record<string, string> = {
  Deployment: 'deploy',
  ReplicaSet: 'rs',
  Pod: 'pod',
  Service: 'svc',
  ConfigMap: 'cm',
  Secret: 'secret',
  StatefulSet: 'sts',
  DaemonSet: 'ds',
  Job: 'job',
  CronJob: 'cj',
  Ingress: 'ing',
  Namespace: 'ns',
  ServiceAccount: 'sa',
  PersistentVolumeClaim: 'pvc',
  HorizontalPodAutoscaler: 'hpa',
  Endpoints: 'ep',
  EndpointSlice: 'eps',
  Role: 'role',
  RoleBinding: 'rb',
  ClusterRole: 'crole',
  ClusterRoleBinding: 'crb',
};

export const kindAbbrev = (kind: string) =>
  ABBREV[kind] ?? (kind.replace(/[a-z]/g, '').toLowerCase().slice(0, 4) || kind.slice(0, 4).toLowerCase());
