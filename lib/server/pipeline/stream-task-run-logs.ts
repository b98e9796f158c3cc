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
  /** How often the caller's right to read the log is asked again while it streams. */
  recheckMs?: number;
}

const POLL_MS = 150;
/** A revoked role (or a run moved to another project) ends a stream within about this long. */
export const LOG_STREAM_RECHECK_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Opens a TaskRun's log as a stream (GET /api/v1/taskruns/{name}/logs/stream): `pipelineruns, get` and
 * `logs, get` on `<project>/<taskrun>` are asked when it opens (403 before anything is sent) and again about
 * every `recheckMs` against the policy as it is then; a refusal ends the stream with an `error` event naming
 * what was refused. Chunks from `after` on, then new ones as they arrive, then `end` once the TaskRun has
 * finished and its log is drained.
 */
export async function streamTaskRunLogs(
  deps: AuthorizedPipelineDeps,
  principal: Principal,
  name: string,
  options: LogStreamOptions,
): Promise<AsyncIterable<LogStreamEvent>> {
  const first = await findAuthorizedTaskRun(deps, principal, name, { logs: true });
  const { pollMs = POLL_MS, recheckMs = LOG_STREAM_RECHECK_MS, signal } = options;
  const stillAllowed = async (): Promise<LogStreamEvent | undefined> => {
    try {
      await findAuthorizedTaskRun({ ...deps, access: deps.access.refreshed() }, principal, name, { logs: true });
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
