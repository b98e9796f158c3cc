/**
 * A container log of one of an application's pods, as events (GET /api/v1/applications/{name}/logs):
 * `log` per line (the kubelet's timestamp split off), then `end` {completed} when the log ends (a followed
 * container exits), or `error` {message} when the cluster refuses or breaks the stream. Everything decided
 * before the first event (authorization, the pod being the app's, the container, the log and follow slots) is thrown as
 * an AppError instead, so the route answers it as JSON. Log content is never logged here.
 */
import { LogLineSplitter, splitTimestamp } from '@/lib/domain/gitops/pod-logs/log-lines';
import { pickContainer, pickPod } from '@/lib/domain/gitops/pod-logs/pick';
import { isKubeError } from '@/lib/adapters/k8s/errors';
import { AppError } from '@/lib/errors';
import type { TPodLogEvent, TPodLogsQuery } from '@/lib/schemas/pod-logs';
import type { Principal } from '../principal';
import { appObject, loadAppFor } from './applications/app-access';
import { openAppPods } from './app-pods';
import type { ClusterPods, PodLogDeps, StreamSlots } from './pod-ports';

/**
 * A revoked role (or an app moved to another project), a revoked or expired token, a logout or a disabled or
 * deleted account ends a stream within about this long.
 */
export const POD_LOG_RECHECK_MS = 30_000;

/** What the client is told of an unexpected failure (a database error, a broken socket); the detail is logged. */
export const POD_LOG_INTERNAL_ERROR = 'internal error; see the server log';

export interface PodLogStreamOptions {
  /** The client went away: the upstream request is aborted and its socket closed. */
  signal: AbortSignal;
  /**
   * The caller as their credential (session cookie or API token) identifies them now, or undefined once it no
   * longer does; asked at every recheck (the route resolves the request's credential again).
   */
  reauthenticate: () => Promise<Principal | undefined>;
  recheckMs?: number;
  /** Where unexpected errors are logged (default console.error). */
  log?: (line: string) => void;
}

/** Whose streams are counted together: one person (or project token) in the UI and the CLI alike. */
const slotKey = (p: Principal) => `${p.userId}:${p.username}`;

/** A slot of `slots` for the principal, or a 429 saying whose cap was reached: the caller's or the server's. */
function takeSlot(slots: StreamSlots, principal: Principal, what: string): () => void {
  const release = slots.take(slotKey(principal));
  if (release) return release;
  if (slots.full())
    throw new AppError(
      'RATE_LIMITED',
      `Too many ${what} are open on this server (at most ${slots.total} for all callers together).`,
      { hint: 'The server is busy: try again in a moment.', retryAfterSeconds: 5 },
    );
  throw new AppError('RATE_LIMITED', `Too many ${what} are open at once (at most ${slots.perKey} per caller).`, {
    hint: 'Close another log (or wait for one to end) and try again.',
    retryAfterSeconds: 5,
  });
}

/** AppError and Kubernetes messages are the client's to read; anything else is logged and answered generically. */
function publicMessage(err: unknown, log: (line: string) => void, context: string): string {
  if (err instanceof AppError || isKubeError(err)) return err.message;
  log(`[pod logs] ${context}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return POD_LOG_INTERNAL_ERROR;
}

/**
 * Authorizes, picks the pod and container, takes a log slot (and a follow slot for `follow`); then streams.
 * Throws before the first event.
 */
export async function openPodLogStream(
  deps: PodLogDeps,
  principal: Principal,
  appName: string,
  q: TPodLogsQuery,
  options: PodLogStreamOptions,
): Promise<AsyncIterable<TPodLogEvent>> {
  const { cluster, resource, pods } = await openAppPods(deps, principal, appName, q);
  const held: (() => void)[] = [];
  const release = () => held.splice(0).forEach((r) => r());
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
    held.push(takeSlot(deps.logSlots, principal, 'log streams'));
    if (q.follow) held.push(takeSlot(deps.followSlots, principal, 'followed log streams'));
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
    release();
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
  options: PodLogStreamOptions & { release: () => void },
): AsyncIterable<TPodLogEvent> {
  const log = options.log ?? console.error;
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
    options.release();
  };
  if (options.signal.aborted) cleanup();
  else options.signal.addEventListener('abort', cleanup, { once: true });
  // Asked again while the log streams: the credential still valid, and the policy as it is then.
  let checking = false;
  if (!cleaned) {
    recheck = setInterval(() => {
      if (checking) return;
      checking = true;
      void stillAllowed(deps, principal, appName, options.reauthenticate, log).then((message) => {
        checking = false;
        if (message === undefined || cleaned) return;
        refused = message;
        stop();
      });
    }, options.recheckMs ?? POD_LOG_RECHECK_MS);
    recheck.unref();
  }
  const line = (raw: string): TPodLogEvent => ({
    event: 'log',
    data: { pod: t.pod, container: t.container, ...splitTimestamp(raw) },
  });
  const ending = (broken: unknown): TPodLogEvent => {
    if (refused) return { event: 'error', data: { message: refused } };
    if (options.signal.aborted) return { event: 'end', data: { reason: 'cancelled' } };
    if (broken)
      return { event: 'error', data: { message: `The log stream broke: ${publicMessage(broken, log, 'stream')}` } };
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
        yield upstream.signal.aborted
          ? ending(undefined)
          : { event: 'error', data: { message: publicMessage(err, log, 'open') } };
        return;
      }
      const splitter = new LogLineSplitter();
      let broken: unknown;
      try {
        for await (const chunk of body) for (const raw of splitter.push(chunk)) yield line(raw);
        const last = splitter.end();
        if (last !== undefined) yield line(last);
      } catch (err) {
        broken = err;
      }
      yield ending(broken);
    } finally {
      cleanup();
    }
  })();
}

/**
 * Undefined while the caller may still read the app's logs: their credential still names them (not revoked,
 * expired, logged out; the account neither disabled nor deleted) and the policy as it is now (refreshed) still
 * allows `applications, get` and `logs, get`, for the caller as they are now (their groups may have changed).
 * Otherwise the message the stream ends with.
 */
async function stillAllowed(
  deps: PodLogDeps,
  principal: Principal,
  appName: string,
  reauthenticate: () => Promise<Principal | undefined>,
  log: (line: string) => void,
): Promise<string | undefined> {
  try {
    const now = await reauthenticate();
    if (!now || now.userId !== principal.userId || now.username !== principal.username)
      return (
        'Your session or API token is no longer valid (logged out, revoked or expired, or the account was disabled ' +
        'or deleted): log in again or use a valid token.'
      );
    const fresh = { ...deps, access: deps.access.refreshed() };
    const app = await loadAppFor(fresh, now, appName, 'get');
    await fresh.access.authorize(now, 'logs', 'get', appObject(app));
    return undefined;
  } catch (err) {
    return publicMessage(err, log, 'recheck');
  }
}
