import { AppError } from '@/lib/errors';
import type { Principal } from '../principal';
import { findAuthorizedTaskRun, findTaskRun, isTaskRunFinished } from './find-task-run';
import type { AuthorizedPipelineDeps } from './pipeline-access';
import { readLogs, type StoredLogChunk } from './task-run-logs';

/** One server-sent event of a TaskRun's log stream. */
export type LogStreamEvent =
  | { event: 'chunk'; id: number; data: StoredLogChunk }
  | { event: 'end'; data: Record<string, never> }
  | { event: 'error'; data: { message: string; code?: string; denied?: unknown } };

export interface LogStreamOptions {
  /** The last chunk id the client has (`Last-Event-ID`); 0 for the whole log. */
  after: number;
  /** The client went away. */
  signal?: AbortSignal;
  /** How long to wait when there is nothing new. */
  pollMs?: number;
  /**
   * The caller as their credential (session cookie or API token) identifies them now, or undefined once it no
   * longer does; asked at every recheck (the route resolves the request's credential again).
   */
  reauthenticate: () => Promise<Principal | undefined>;
  /** How often the caller's credential and right to read the log are asked again while it streams. */
  recheckMs?: number;
}

const POLL_MS = 150;
/**
 * A revoked role (or a run moved to another project), a revoked or expired token, a logout or a disabled or deleted
 * account ends a stream within about this long.
 */
export const LOG_STREAM_RECHECK_MS = 30_000;

/** The `error` event's message once the request's credential no longer names the caller. */
export const CREDENTIAL_GONE =
  'Your session or API token is no longer valid (logged out, revoked or expired, or the account was disabled ' +
  'or deleted): log in again or use a valid token.';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Opens a TaskRun's log as a stream (GET /api/v1/taskruns/{name}/logs/stream): `pipelineruns, get` and
 * `logs, get` on `<project>/<taskrun>` are asked when it opens (403 before anything is sent); about every
 * `recheckMs` the request's credential is resolved again (`reauthenticate`) and, while it still names the caller,
 * both are asked again for the caller as they are now against the policy as it is then. A credential gone (logout,
 * revoked or expired token, disabled or deleted account) or a refusal ends the stream with an `error` event. Chunks from `after` on, then new ones as they arrive, then `end` once the TaskRun has
 * finished and its log is drained.
 */
export async function streamTaskRunLogs(
  deps: AuthorizedPipelineDeps,
  principal: Principal,
  name: string,
  options: LogStreamOptions,
): Promise<AsyncIterable<LogStreamEvent>> {
  const first = await findAuthorizedTaskRun(deps, principal, name, { logs: true });
  const { pollMs = POLL_MS, recheckMs = LOG_STREAM_RECHECK_MS, signal, reauthenticate } = options;
  const stillAllowed = async (): Promise<LogStreamEvent | undefined> => {
    try {
      const now = await reauthenticate();
      if (!now || now.userId !== principal.userId || now.username !== principal.username)
        return { event: 'error', data: { message: CREDENTIAL_GONE, code: 'UNAUTHENTICATED' } };
      await findAuthorizedTaskRun({ ...deps, access: deps.access.refreshed() }, now, name, { logs: true });
      return undefined;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return { event: 'error', data: { message: err.message, code: err.code, denied: err.details.denied } };
    }
  };
  return (async function* events(): AsyncGenerator<LogStreamEvent> {
    let after = options.after;
    let checkedAt = deps.now().getTime();
    for (let finished = isTaskRunFinished(first); !signal?.aborted;) {
      if (deps.now().getTime() - checkedAt >= recheckMs) {
        const refused = await stillAllowed();
        if (refused) return yield refused;
        checkedAt = deps.now().getTime();
      }
      const chunks = await readLogs(deps, first.id, after);
      for (const c of chunks) {
        yield { event: 'chunk', id: c.id, data: c };
        after = c.id;
      }
      if (finished && chunks.length === 0) break;
      if (chunks.length === 0) {
        await sleep(pollMs);
        finished = isTaskRunFinished(await findTaskRun(deps, name));
      }
    }
    yield { event: 'end', data: {} };
  })();
}
