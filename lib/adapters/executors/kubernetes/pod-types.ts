/** The parts of a pod the executor reads (the API's JSON; everything optional, as a watch may send any of it). */
export interface ContainerStateJson {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { exitCode?: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string };
}

export interface ContainerStatusJson {
  name: string;
  ready?: boolean;
  started?: boolean;
  state?: ContainerStateJson;
}

export interface PodObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: { nodeName?: string; containers?: { name: string }[] };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
    initContainerStatuses?: ContainerStatusJson[];
    containerStatuses?: ContainerStatusJson[];
  };
}
