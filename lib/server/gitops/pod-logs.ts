/**
 * A container log of one of an application's pods, as events (GET /api/v1/applications/{name}/logs):
 * `log` per line (the kubelet's timestamp split off), then `end` {completed} when the log ends (a followed
 * container exits), or `error` {message} when the cluster refuses or breaks the stream. Everything decided
 * before the first event (authorization, the pod being the app's, the container, the follow slot) is thrown as
 * an AppError instead, so the route answers it as JSON. Log content is never logged here.
 */
import { LogLineSplitter, splitTimestamp } from '@/lib/domain/gitops/pod-logs/log-lines';
import { pickContainer, pickPod } from '@/lib/domain/gitops/pod-logs/pick';
import { errorMessage } from '@/lib/domain/error-message';
import { AppError } from '@/lib/errors';
import type { TPodLogEvent, TPodLogsQuery } from '@/lib/schemas/pod-logs';
import type { Principal } from '../principal';
import { appObject, loadAppFor } from './applications/app-access';
import { openAppPods } from './app-pods';
import type { ClusterPods, PodLogDeps } from './pod-ports';

/** A revoked role (or an app moved to another project) ends a follow stream within about this long. */
export const POD_LOG_RECHECK_MS = 30_000;

export interface PodLogStreamOptions {
  /** The client went away: the upstream request is aborted and its socket closed. */
  signal: AbortSignal;
  recheckMs?: number;
}

/** Whose follow streams are counted together: one person (or project token) in the UI and the CLI alike. */
const slotKey = (p: Principal) => `${p.userId}:${p.username}`;

/** Authorizes, picks the pod and container, takes a follow slot; then streams. Throws before the first event. */
export async function openPodLogStream(
  deps: PodLogDeps,
  principal: Principal,
  appName: string,
  q: TPodLogsQuery,
  options: PodLogStreamOptions,
): Promise<AsyncIterable<TPodLogEvent>> {
  const { cluster, resource, pods } = await openAppPods(deps, principal, appName, q);
  let release: (() => void) | undefined;
  try {
    const what = `${resource.kind} ${resource.namespace}/${resource.name}`;
    const pod = pickPod(pods, q.podName, what);
    if (!pod.ok)
      throw new AppError('NOT_FOUND', pod.message, {
        hint: `List them with GET /api/v1/applications/${appName}/pods.`,
      });
    const container = pickContainer(pod.value, q.container);
    if (!container.ok)
      throw new AppError('BAD_REQUEST', `container: ${container.message}`, {
        issues: [{ path: 'container', message: container.message }],
        hint: 'Leave container out for the default one, or name one the pod has.',
      });
    if (q.follow) {
      release = deps.followSlots.take(slotKey(principal));
      if (!release)
        throw new AppError(
          'RATE_LIMITED',
          `Too many log streams are followed at once (at most ${deps.followSlots.perKey} per caller).`,
          { hint: 'Close another followed log (or wait for one to end) and try again.', retryAfterSeconds: 5 },
        );
    }
    const target = { pod: pod.value.metadata.name ?? '', container: container.value };
    return streamEvents(
      deps,
      principal,
      appName,
      cluster,
      { ...q, ...target, namespace: resource.namespace },
      {
        ...options,
        release,
      },
    );
  } catch (err) {
    cluster.close();
    release?.();
    throw err;
  }
}

interface Target extends TPodLogsQuery {
  namespace: string;
  pod: string;
  container: string;
}

/**
 * Sets up the stream's clean-up at once (a generator not yet started has no `finally` to run when the client
 * leaves before the first event), then returns the events.
 */
function streamEvents(
  deps: PodLogDeps,
  principal: Principal,
  appName: string,
  cluster: ClusterPods,
  t: Target,
  options: PodLogStreamOptions & { release?: () => void },
): AsyncIterable<TPodLogEvent> {
  const upstream = new AbortController();
  const stop = () => upstream.abort();
  let recheck: ReturnType<typeof setInterval> | undefined;
  let refused: string | undefined;
  let cleaned = false;
  const cleanup = () => {
    if (cleaned) return;
    cleaned = true;
    clearInterval(recheck);
    options.signal.removeEventListener('abort', cleanup);
    stop();
    cluster.close();
    options.release?.();
  };
  if (options.signal.aborted) cleanup();
  else options.signal.addEventListener('abort', cleanup, { once: true });
  // Asked again while a followed log streams, against the policy as it is then (as the TaskRun log stream does).
  if (t.follow && !cleaned) {
    recheck = setInterval(() => {
      const fresh = { ...deps, access: deps.access.refreshed() };
      loadAppFor(fresh, principal, appName, 'get')
        .then((app) => fresh.access.authorize(principal, 'logs', 'get', appObject(app)))
        .catch((err: unknown) => {
          refused = errorMessage(err);
          stop();
        });
    }, options.recheckMs ?? POD_LOG_RECHECK_MS);
    recheck.unref();
  }
  const log = (raw: string): TPodLogEvent => ({
    event: 'log',
    data: { pod: t.pod, container: t.container, ...splitTimestamp(raw) },
  });
  const ending = (broken: unknown): TPodLogEvent => {
    if (refused) return { event: 'error', data: { message: refused } };
    if (options.signal.aborted) return { event: 'end', data: { reason: 'cancelled' } };
    if (broken) return { event: 'error', data: { message: `The log stream broke: ${errorMessage(broken)}` } };
    return { event: 'end', data: { reason: 'completed' } };
  };
  return (async function* events(): AsyncGenerator<TPodLogEvent> {
    try {
      if (cleaned) return;
      let body: AsyncIterable<Uint8Array>;
      try {
        body = await cluster.openLog({
          namespace: t.namespace,
          pod: t.pod,
          container: t.container,
          follow: t.follow,
          previous: t.previous,
          tailLines: t.tailLines,
          sinceSeconds: t.sinceSeconds,
          signal: upstream.signal,
        });
      } catch (err) {
        yield upstream.signal.aborted ? ending(undefined) : { event: 'error', data: { message: errorMessage(err) } };
        return;
      }
      const splitter = new LogLineSplitter();
      let broken: unknown;
      try {
        for await (const chunk of body) for (const raw of splitter.push(chunk)) yield log(raw);
        const last = splitter.end();
        if (last !== undefined) yield log(last);
      } catch (err) {
        broken = err;
      }
      yield ending(broken);
    } finally {
      cleanup();
    }
  })();
}
