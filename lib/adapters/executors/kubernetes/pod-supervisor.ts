/**
 * Watches a TaskRun's pod from creation to its end: starts following each step's log as the step starts, tells the
 * engine when steps start and end, marks the pod ready once its sidecars are, and decides how the pod ended
 * (finished, cancelled, timed out, could not start, or lost: deleted, evicted, its node gone).
 */
import type { LogLine, StepOutcome } from '../../../domain/pipeline/task-run-plan';
import type { KubeConnection } from '../../k8s/connection';
import type { ContainerStatusJson, PodObject } from './pod-types';
import { watchPod } from './pod-watch';
import { ContainerLogFollower } from './step-logs';

export const READY_ANNOTATION = 'tekton.dev/ready';

export interface PodEvent {
  type?: string;
  reason?: string;
  message?: string;
}

export interface SupervisedContainer {
  /** The container, e.g. `step-build` or `sidecar-db`. */
  container: string;
  /** The name its log lines are stored under (the step's name; `sidecar-<name>`). */
  logName: string;
}

export interface SuperviseInput {
  conn: KubeConnection;
  namespace: string;
  /** The pod as the create call returned it. */
  created: PodObject;
  steps: SupervisedContainer[];
  sidecars: SupervisedContainer[];
  /** The pod waits for `tekton.dev/ready` (it has sidecars): set it once they are ready. */
  markReady: boolean;
  /** Why the pod cannot start (ImagePullBackOff, unschedulable, ...), if it cannot. */
  startProblem(
    pod: PodObject,
    events: readonly PodEvent[],
  ): { reason: string; message: string; permanent?: boolean } | undefined;
  /** The pod's events, oldest first (FailedMount and the like say why a Pending pod does not start). */
  listEvents(): Promise<PodEvent[]>;
  /** How often a Pending pod's events are read; default 5 s. */
  eventsEveryMs?: number;
  /** Step i's outcome as its container's status tells it (termination message), when it has ended. */
  stepOutcome(pod: PodObject, index: number): StepOutcome | undefined;
  /** The step running its own command now (not one the entrypoint is about to skip), if any. */
  running(pod: PodObject): { index: number; startedAt: Date } | undefined;
  startTimeoutMs: number;
  /** Epoch ms at which the TaskRun times out. */
  deadline?: number;
  signal?: AbortSignal;
  emit(line: LogLine): void;
  onStepStarted(index: number, at: Date): void;
  /** Step i's container ended and its whole log has been handed on. */
  onStepEnded(index: number, outcome: StepOutcome): void;
  onError(error: unknown): void;
}

export type PodEnd =
  | { kind: 'finished'; pod: PodObject }
  | { kind: 'cancelled' | 'timeout'; pod: PodObject }
  | { kind: 'unstartable'; reason: string; message: string; pod: PodObject }
  | { kind: 'lost'; message: string; pod: PodObject };

export interface Supervision {
  end: Promise<PodEnd>;
  /** Log followers started so far (by container). */
  followers: Map<string, ContainerLogFollower>;
  /** Which steps the engine was told about (started / ended). */
  started: Set<number>;
  ended: Set<number>;
  /** Ends the watch and timers (not the log followers). */
  stop(): void;
  /** The pod as last seen. */
  latest(): PodObject;
  /** Step hooks not yet called back. */
  pendingStepEnds(): Promise<void>;
}

const statusOf = (pod: PodObject, name: string): ContainerStatusJson | undefined =>
  pod.status?.containerStatuses?.find((c) => c.name === name);

const at = (iso: string | undefined, fallback: Date) => {
  const d = iso ? new Date(iso) : fallback;
  return Number.isNaN(d.getTime()) ? fallback : d;
};

export function supervisePod(input: SuperviseInput): Supervision {
  const name = input.created.metadata?.name ?? '';
  // Only this incarnation of the pod is followed: one made under the name by someone else is not ours.
  const uid = input.created.metadata?.uid;
  const followers = new Map<string, ContainerLogFollower>();
  const started = new Set<number>();
  const ended = new Set<number>();
  const endings: Promise<void>[] = [];
  let latest = input.created;
  let readyMarked = !input.markReady;
  let readyPatching = false;
  let problemSince: number | undefined;
  let problemTimer: NodeJS.Timeout | undefined;
  let settle: (end: PodEnd) => void = () => undefined;
  let settled = false;
  const end = new Promise<PodEnd>((resolve) => {
    settle = (e) => {
      if (settled) return;
      settled = true;
      resolve(e);
    };
  });

  const follow = (c: SupervisedContainer) => {
    if (followers.has(c.container)) return followers.get(c.container)!;
    const target = { namespace: input.namespace, pod: name, uid, container: c.container, step: c.logName };
    const follower = new ContainerLogFollower(input.conn, target, input.emit, input.onError);
    followers.set(c.container, follower);
    return follower;
  };

  const markReady = (pod: PodObject) => {
    if (readyMarked || readyPatching || pod.status?.phase !== 'Running') return;
    const ready = input.sidecars.every((s) => {
      const st = statusOf(pod, s.container);
      return st?.ready === true || st?.state?.terminated !== undefined;
    });
    if (!ready) return;
    readyPatching = true;
    input.conn
      .request({
        method: 'PATCH',
        path: `/api/v1/namespaces/${encodeURIComponent(input.namespace)}/pods/${encodeURIComponent(name)}`,
        contentType: 'application/merge-patch+json',
        // The uid fails the patch (immutable field) on a pod made under the name by someone else.
        body: { metadata: { ...(uid ? { uid } : {}), annotations: { [READY_ANNOTATION]: 'READY' } } },
      })
      .then((res) => {
        if (res.status === 200) readyMarked = true;
        else input.onError(new Error(`marking pod ${name} ready: HTTP ${res.status}`));
      })
      .catch(input.onError)
      .finally(() => (readyPatching = false));
  };

  // Steps end in order (a later step's log may end before an earlier one's stream, reopened, has caught up).
  let stepChain: Promise<unknown> = Promise.resolve();
  const endInOrder = (logsDone: Promise<void>, then: () => void) => {
    stepChain = Promise.all([stepChain, logsDone]).then(then);
    endings.push(stepChain.then(() => undefined));
  };

  const trackSteps = (pod: PodObject) => {
    const now = new Date();
    input.steps.forEach((step, i) => {
      const state = statusOf(pod, step.container)?.state;
      if (!state?.terminated || ended.has(i)) return;
      ended.add(i);
      const outcome = input.stepOutcome(pod, i);
      // A skipped step ran nothing: its only log line is the entrypoint's own "Skipping step ...".
      if (outcome?.reason === 'Skipped' && !started.has(i)) {
        endInOrder(Promise.resolve(), () => input.onStepEnded(i, outcome));
        return;
      }
      if (!started.has(i)) {
        started.add(i);
        input.onStepStarted(i, outcome?.startedAt ?? at(state.terminated.startedAt, now));
      }
      const follower = follow(step);
      endInOrder(follower.done, () => {
        const final = input.stepOutcome(latest, i) ?? outcome;
        if (final) input.onStepEnded(i, final);
      });
    });
    const running = input.running(pod);
    if (running && !started.has(running.index) && (running.index > 0 || readyMarked)) {
      started.add(running.index);
      input.onStepStarted(running.index, running.startedAt);
      follow(input.steps[running.index]);
    }
    for (const s of input.sidecars) {
      const state = statusOf(pod, s.container)?.state;
      if (state?.running || state?.terminated) follow(s);
    }
  };

  // The API server cannot be reached (or will not show the pod): after the start timeout of that, the TaskRun fails
  // rather than waiting for a cluster that may never come back (forever, for a TaskRun without a timeout).
  let blindTimer: NodeJS.Timeout | undefined;
  let lastError: unknown;
  const seen = () => {
    if (blindTimer) clearTimeout(blindTimer);
    blindTimer = undefined;
  };
  const onWatchError = (error: unknown) => {
    input.onError(error);
    lastError = error;
    if (settled || blindTimer) return;
    blindTimer = setTimeout(() => {
      const text = input.conn.redact(lastError instanceof Error ? lastError.message : String(lastError));
      settle({
        kind: 'unstartable',
        reason: 'PodCreationFailed',
        message: `lost the pipeline cluster while following pod "${name}": it could not be read for ${Math.round(input.startTimeoutMs / 1000)} s (the start timeout): ${text}`,
        pod: latest,
      });
    }, input.startTimeoutMs);
  };

  let events: PodEvent[] = [];
  const checkStart = (pod: PodObject) => {
    const problem = input.startProblem(pod, events);
    if (!problem) {
      problemSince = undefined;
      if (problemTimer) clearTimeout(problemTimer);
      problemTimer = undefined;
      return;
    }
    problemSince ??= Date.now();
    const left = problemSince + input.startTimeoutMs - Date.now();
    if (left <= 0 || problem.permanent) {
      settle({ kind: 'unstartable', reason: problem.reason, message: problem.message, pod });
      return;
    }
    problemTimer ??= setTimeout(() => {
      problemTimer = undefined;
      if (!settled) checkStart(latest);
    }, left);
  };

  const onPod = (pod: PodObject | undefined) => {
    seen();
    if (settled) return;
    if (!pod) {
      settle({ kind: 'lost', message: `pod "${name}" was deleted before its steps finished`, pod: latest });
      return;
    }
    latest = pod;
    markReady(pod);
    trackSteps(pod);
    const allEnded = input.steps.every((s) => statusOf(pod, s.container)?.state?.terminated);
    const phase = pod.status?.phase;
    // Failed covers eviction, the pod's deadline and a failed init container: the reader says which.
    if (allEnded || phase === 'Succeeded' || phase === 'Failed' || phase === 'Unknown')
      return settle({ kind: 'finished', pod });
    if (pod.metadata?.deletionTimestamp)
      return settle({ kind: 'lost', message: `pod "${name}" was deleted before its steps finished`, pod });
    checkStart(pod);
  };

  const watch = watchPod(
    input.conn,
    input.namespace,
    name,
    input.created.metadata?.resourceVersion,
    onPod,
    onWatchError,
    undefined,
    uid,
  );
  const deadlineTimer =
    input.deadline !== undefined
      ? setTimeout(() => settle({ kind: 'timeout', pod: latest }), Math.max(0, input.deadline - Date.now()))
      : undefined;
  let reading = false;
  const eventsTimer = setInterval(() => {
    if (settled || reading || latest.status?.phase !== 'Pending') return;
    reading = true;
    input
      .listEvents()
      .then((found) => {
        events = found;
        if (!settled) checkStart(latest);
      })
      .catch(input.onError)
      .finally(() => (reading = false));
  }, input.eventsEveryMs ?? 5_000);
  eventsTimer.unref();
  const onAbort = () => settle({ kind: 'cancelled', pod: latest });
  if (input.signal?.aborted) onAbort();
  else input.signal?.addEventListener('abort', onAbort, { once: true });
  onPod(input.created);

  return {
    end,
    followers,
    started,
    ended,
    latest: () => latest,
    stop() {
      watch.stop();
      if (deadlineTimer) clearTimeout(deadlineTimer);
      if (problemTimer) clearTimeout(problemTimer);
      seen();
      clearInterval(eventsTimer);
      input.signal?.removeEventListener('abort', onAbort);
    },
    async pendingStepEnds() {
      await Promise.all(endings);
    },
  };
}
