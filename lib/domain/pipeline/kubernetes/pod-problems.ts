/**
 * Why a pod cannot start or stopped without its steps ending, in Tekton's reasons and messages
 * (pkg/reconciler/taskrun/taskrun.go checkContainerFailure, pkg/pod/status.go): the kubelet's own words
 * are kept, so the user sees which image, Secret or node was the trouble.
 */
import type { TaskRunOutcome } from '../task-run-plan';
import type { ContainerStatusLike, PodEventLike, PodReading } from './pod-types';

export interface PodProblem {
  reason: TaskRunOutcome['reason'];
  message: string;
  /**
   * True when waiting cannot help (an invalid image name, a missing Secret key): fail now. Otherwise the
   * kubelet keeps trying (image pull back-off, unschedulable, a volume not attached yet): fail only after
   * the executor's start timeout.
   */
  permanent: boolean;
}

const IMAGE_REASONS = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'ErrImageNeverPull',
  'InvalidImageName',
  'ImageInspectError',
  'RegistryUnavailable',
]);
const PERMANENT_IMAGE_REASONS = new Set(['InvalidImageName', 'ErrImageNeverPull']);
/** containerd's and the registry's words for an image or tag that does not exist. */
const NOT_FOUND = /code = NotFound|: not found|manifest unknown/;
const VOLUME_EVENT_REASONS = new Set(['FailedMount', 'FailedAttachVolume', 'FailedScheduling']);

/** A problem keeping a Pending pod from running its steps, or undefined while it is merely starting. */
export function podStartProblem(pod: PodReading, events: readonly PodEventLike[] = []): PodProblem | undefined {
  const status = pod.status ?? {};
  if (status.phase && status.phase !== 'Pending' && status.phase !== 'Running') return undefined;
  const taskRun = pod.metadata?.labels?.['tekton.dev/taskRun'] ?? pod.metadata?.name ?? '';
  const images = new Map(
    [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => [c.name, c.image ?? '']),
  );
  const all: [ContainerStatusLike, boolean][] = [
    ...(status.initContainerStatuses ?? []).map((s): [ContainerStatusLike, boolean] => [s, true]),
    ...(status.containerStatuses ?? []).map((s): [ContainerStatusLike, boolean] => [s, false]),
  ];
  for (const [s, init] of all) {
    const waiting = s.state?.waiting;
    if (!waiting?.reason) continue;
    const who = describe(s.name, init);
    const said = waiting.message ?? waiting.reason;
    if (IMAGE_REASONS.has(waiting.reason)) {
      const image = images.get(s.name) ?? s.image ?? '';
      return {
        reason: 'TaskRunImagePullFailed',
        message: `the ${who} in TaskRun "${taskRun}" failed to pull the image "${image}". The pod errored with the message: "${said}."`,
        // The registry said the image is not there: pulling again will not help.
        permanent: PERMANENT_IMAGE_REASONS.has(waiting.reason) || NOT_FOUND.test(said),
      };
    }
    const transient = said.includes('context deadline exceeded');
    if (waiting.reason === 'CreateContainerConfigError' && !said.includes('failed to create subPath directory')) {
      return {
        reason: 'CreateContainerConfigError',
        message: `the ${who} in TaskRun "${taskRun}" failed to start. The pod errored with the message: "${said}."`,
        permanent: !transient,
      };
    }
    if (waiting.reason === 'CreateContainerError') {
      return {
        reason: 'PodCreationFailed',
        message: `the ${who} in TaskRun "${taskRun}" failed to start. The pod errored with the message: "${said}."`,
        permanent: !transient,
      };
    }
  }
  const unschedulable = status.conditions?.find(
    (c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable',
  );
  if (unschedulable) {
    const said = unschedulable.message ?? 'no node fits the pod';
    return {
      reason: said.includes('Insufficient') ? 'ExceededNodeResources' : 'PodCreationFailed',
      message: `the pod of TaskRun "${taskRun}" cannot be scheduled: ${said}`,
      permanent: false,
    };
  }
  const stuck = [...events].reverse().find((e) => e.type === 'Warning' && VOLUME_EVENT_REASONS.has(e.reason ?? ''));
  if (stuck && status.phase !== 'Running') {
    return {
      reason: 'PodCreationFailed',
      message: `the pod of TaskRun "${taskRun}" cannot start (${stuck.reason}): ${stuck.message ?? ''}`,
      permanent: false,
    };
  }
  return undefined;
}

/**
 * Why a pod stopped although its steps did not all end: evicted, its node lost, killed for its deadline, an
 * init container failed. Undefined when nothing says so.
 */
export function podLostProblem(
  pod: PodReading,
  timeoutText: string,
): { reason: TaskRunOutcome['reason']; message: string } | undefined {
  const status = pod.status ?? {};
  const taskRun = pod.metadata?.labels?.['tekton.dev/taskRun'] ?? pod.metadata?.name ?? '';
  if (status.reason === 'Evicted')
    return { reason: 'Failed', message: `the pod of TaskRun "${taskRun}" was evicted: ${status.message ?? ''}`.trim() };
  if (status.reason === 'DeadlineExceeded')
    return { reason: 'TaskRunTimeout', message: `TaskRun "${taskRun}" failed to finish within "${timeoutText}"` };
  const disrupted = status.conditions?.find((c) => c.type === 'DisruptionTarget' && c.status === 'True');
  if (disrupted)
    return {
      reason: 'Failed',
      message:
        `the pod of TaskRun "${taskRun}" was stopped by Kubernetes (${disrupted.reason ?? 'DisruptionTarget'}): ${disrupted.message ?? ''}`.trim(),
    };
  if (status.phase === 'Unknown' || status.reason === 'NodeLost')
    return {
      reason: 'Failed',
      message: `the node running the pod of TaskRun "${taskRun}" stopped answering (pod phase ${status.phase ?? 'Unknown'}${status.message ? `: ${status.message}` : ''})`,
    };
  for (const s of status.initContainerStatuses ?? []) {
    const t = s.state?.terminated;
    if (t && t.exitCode !== 0) {
      const detail = t.message?.trim() || (t.reason && t.reason !== 'Error' ? t.reason : '');
      return {
        reason: 'Failed',
        message: `init container failed, "${s.name}" exited with code ${t.exitCode}${detail ? `: ${detail}` : ''}`,
      };
    }
  }
  if (status.phase === 'Failed')
    return {
      reason: 'Failed',
      message: status.message || `the pod of TaskRun "${taskRun}" failed (${status.reason ?? 'no reason given'})`,
    };
  return undefined;
}

function describe(container: string, init: boolean): string {
  if (init) return `init container "${container}"`;
  if (container.startsWith('step-')) return `step "${container.slice(5)}"`;
  if (container.startsWith('sidecar-')) return `sidecar "${container.slice(8)}"`;
  return `container "${container}"`;
}

/**
 * Upstream's SidecarsReady: the pod runs and every container that is not a step is running and ready (or has
 * ended). Then the executor sets the annotation `tekton.dev/ready: READY`, which the first step waits for.
 */
export function sidecarsReady(pod: PodReading): boolean {
  if (pod.status?.phase !== 'Running') return false;
  return (pod.status.containerStatuses ?? []).every(
    (s) => s.name.startsWith('step-') || (s.state?.running && s.ready === true) || s.state?.terminated !== undefined,
  );
}
