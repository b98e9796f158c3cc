import type { NamespaceIsolation } from '../../../domain/pipeline/namespace-isolation';
import type { PodPolicy } from '../../../domain/pipeline/kubernetes/pod-policy';
import type { KubeConnection } from '../../k8s/connection';

/**
 * What the executor needs of an image registry (the registry adapter's ImageConfigResolver fits): the image's own
 * Entrypoint/Cmd, for steps and sidecars with neither command nor script.
 */
export interface ImageCommandSource {
  commandOf(
    image: string,
    options?: { pullSecrets?: unknown[]; signal?: AbortSignal },
  ): Promise<{ digest: string; entrypoint: string[]; cmd: string[] }>;
}

export interface KubernetesExecutorOptions {
  /** The pipeline cluster. Called per TaskRun: return a cached connection (the executor never closes it). */
  connect(): Promise<KubeConnection>;
  /** Tekton's entrypoint image (binary at /ko-app/entrypoint) and the shell image that places scripts. */
  images: { entrypoint: string; shell: string };
  imageConfig: ImageCommandSource;
  /** How long a pod may stay unstartable (ImagePullBackOff, Pending) before the TaskRun fails; default 300 s. */
  startTimeoutMs?: number;
  /** How long a finished pod is kept for debugging; default 0: deleted once its logs and results are stored. */
  keepFinishedPodsMs?: number;
  /**
   * How step scripts reach the pod: upstream's `place-scripts` init container, or items of the run Secret mounted
   * executable (one container start fewer per TaskRun). Default 'secret'.
   */
  scriptsVia?: 'place-scripts' | 'secret';
  /**
   * What each run namespace keeps (applied when the executor first uses it): the NetworkPolicy `keelson-isolation`
   * denying `denyCidrs` and link-local, the ResourceQuota `keelson-quota` and LimitRange `keelson-defaults` when set.
   * Default: the NetworkPolicy with link-local denied only.
   */
  isolation?: NamespaceIsolation;
  /**
   * What the administrator lets TaskRun pods have (KEELSON_ALLOW_PRIVILEGED_PODS, KEELSON_POD_RUNTIME_CLASSES,
   * KEELSON_POD_SCHEDULERS, KEELSON_POD_PRIORITY_CLASSES). Default: nothing beyond the restricted volume types and
   * baseline's container settings, no runtime class, scheduler or priority class.
   */
  podPolicy?: PodPolicy;
  /** How long a log line may wait before it is handed to `onLogs` (default 100 ms, at most 250). */
  flushIntervalMs?: number;
  /** Told about failing hooks, log streams and clean-ups, which never fail a TaskRun. Default: console.error. */
  onHookError?(error: unknown): void;
}

export const DEFAULT_START_TIMEOUT_MS = 300_000;
