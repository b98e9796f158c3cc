/**
 * The parts of Kubernetes' Pod the builder writes and the status it reads, as plain JSON. Fields the
 * builder copies verbatim (a sidecar container, a podTemplate's affinity) stay `unknown`.
 */

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: Record<string, unknown>;
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  subPath?: string;
  readOnly?: boolean;
}

export interface Volume {
  name: string;
  [source: string]: unknown;
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  volumeMounts?: VolumeMount[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  imagePullPolicy?: string;
  terminationMessagePath?: string;
  [field: string]: unknown;
}

export interface PodSpec {
  restartPolicy: 'Never';
  initContainers: Container[];
  containers: Container[];
  volumes: Volume[];
  serviceAccountName?: string;
  activeDeadlineSeconds?: number;
  [field: string]: unknown;
}

export interface V1PodLike {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    [field: string]: unknown;
  };
  spec: PodSpec;
  status?: PodStatusLike;
}

export interface ContainerStateLike {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: {
    exitCode: number;
    reason?: string;
    message?: string;
    startedAt?: string;
    finishedAt?: string;
  };
}

export interface ContainerStatusLike {
  name: string;
  image?: string;
  imageID?: string;
  ready?: boolean;
  restartCount?: number;
  state?: ContainerStateLike;
}

export interface PodConditionLike {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface PodStatusLike {
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  reason?: string;
  message?: string;
  conditions?: PodConditionLike[];
  initContainerStatuses?: ContainerStatusLike[];
  containerStatuses?: ContainerStatusLike[];
}

/** What a pod read back from the API looks like to readers: the spec may be partial, the status present. */
export interface PodReading {
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: { containers?: { name: string; image?: string }[]; initContainers?: { name: string; image?: string }[] };
  status?: PodStatusLike;
}

/** An Event about the pod (`involvedObject` the pod), as the events API lists them. */
export interface PodEventLike {
  type?: string;
  reason?: string;
  message?: string;
}
