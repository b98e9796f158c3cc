/**
 * What the pod logs use cases (app-pods.ts, pod-logs.ts) need besides the gitops stores: a connection to the
 * app's cluster that reads objects and container logs (lib/adapters/k8s/pod-logs.ts implements it), and the
 * web process's counts of open log streams.
 */
import type { ClusterCredentials } from '@/lib/adapters/k8s';
import type { KubeObject } from '@/lib/domain/gitops';
import type { SecretBox } from '../security/secret-box';
import type { ClusterObjectKey, GitopsDeps } from './ports';

export interface PodLogRequest {
  namespace: string;
  pod: string;
  container: string;
  follow: boolean;
  previous: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** Aborting it ends the upstream request and closes its socket. */
  signal: AbortSignal;
}

/** One cluster, read for the logs panel. */
export interface ClusterPods {
  /** The live object, or undefined when it does not exist. */
  get(key: ClusterObjectKey): Promise<KubeObject | undefined>;
  list(q: { apiVersion: string; kind: string; namespace: string; labelSelector?: string }): Promise<KubeObject[]>;
  /**
   * The container's log with `timestamps=true`, as bytes while they arrive; throws (with the API server's
   * message) when the log cannot be read: no such container, no previous instance, a node that serves no logs.
   */
  openLog(req: PodLogRequest): Promise<AsyncIterable<Uint8Array>>;
  /** Closes every socket of the connection, open log requests included. */
  close(): void;
}

export interface PodClusters {
  connect(credentials: ClusterCredentials): Promise<ClusterPods>;
}

/** Slots for concurrent streams per key (a principal), held by the web process for its lifetime. */
export interface StreamSlots {
  /** A release function, or undefined when the key holds all its slots (or the process all of its). */
  take(key: string): (() => void) | undefined;
  readonly perKey: number;
  readonly total: number;
  /** Whether every slot of the process is taken (so a refused take was the process-wide cap, not the key's). */
  full(): boolean;
}

export interface PodLogDeps extends Pick<GitopsDeps, 'gitops' | 'access' | 'now'> {
  box: SecretBox;
  podClusters: PodClusters;
  /** Every log stream, followed or not (each pins an API server socket and a send queue while it lasts). */
  logSlots: StreamSlots;
  /** Followed log streams (they last until the container ends), counted on top of `logSlots`. */
  followSlots: StreamSlots;
}
