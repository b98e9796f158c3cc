/**
 * What the TaskRun log view does with each event of `GET /api/v1/taskruns/{name}/logs/stream` (EventSource):
 * `chunk` adds its lines, `end` completes the log, and an `error` ends the stream with the server's message (a
 * logout, a revoked token or lost rights end it so), with no reconnect: the browser would only get 401/403.
 * A connection error without data is EventSource's own: it reconnects by itself, and only when it gave up
 * (readyState CLOSED, e.g. a 401/403 answer to the reconnect) is it an error to show.
 */

export interface StreamedLine {
  id: number;
  step: string;
  at: string;
  stream: string;
  text: string;
}

export interface TaskRunLogState {
  lines: StreamedLine[];
  /** The server said the log is complete. */
  done: boolean;
  /** Why the stream stopped early; shown in the log view. */
  error: string | null;
}

/** One event as EventSource hands it over: its type, its data (none for a connection error), the source's state. */
export interface TaskRunLogEvent {
  type: string;
  data?: unknown;
  /** EventSource.readyState when the event fired (2 = CLOSED). */
  readyState?: number;
}

export const initialTaskRunLogState = (): TaskRunLogState => ({ lines: [], done: false, error: null });

const CLOSED = 2;
/** Shown when the browser's reconnect was refused (the answer's status is not readable from EventSource). */
export const STREAM_LOST =
  'The log stream was closed and could not be resumed (signed out or no longer allowed?). Reload the page to try again.';

/** The message of an `event: error` payload, or its raw text when that is not the expected JSON. */
function errorMessage(data: string): string {
  try {
    const body = JSON.parse(data) as { message?: unknown };
    if (typeof body?.message === 'string' && body.message) return body.message;
  } catch {
    // not JSON: the raw text is the message
  }
  return data || 'The log stream failed.';
}

/** True when the stream is over after this event: the caller closes the EventSource, so it does not reconnect. */
export function endsStream(ev: TaskRunLogEvent): boolean {
  if (ev.type === 'end') return true;
  return ev.type === 'error' && (typeof ev.data === 'string' || ev.readyState === CLOSED);
}

/** The state after one event; nothing changes once the log is complete or has failed. */
export function applyTaskRunLogEvent(state: TaskRunLogState, ev: TaskRunLogEvent): TaskRunLogState {
  if (state.done || state.error !== null) return state;
  switch (ev.type) {
    case 'chunk': {
      if (typeof ev.data !== 'string') return state;
      let chunk: { id: number; step: string; lines: { at: string; stream: string; text: string }[] };
      try {
        chunk = JSON.parse(ev.data) as typeof chunk;
      } catch {
        return state;
      }
      if (!Array.isArray(chunk?.lines)) return state;
      return {
        ...state,
        lines: [...state.lines, ...chunk.lines.map((l) => ({ id: chunk.id, step: chunk.step, ...l }))],
      };
    }
    case 'end':
      return { ...state, done: true };
    case 'error':
      // The server's `event: error` carries data; EventSource's own connection error does not.
      if (typeof ev.data === 'string') return { ...state, error: errorMessage(ev.data) };
      return ev.readyState === CLOSED ? { ...state, error: STREAM_LOST } : state;
    default:
      return state;
  }
}

/** The part of EventSource the log view uses. */
export interface LogEventSource {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: Event) => void): void;
  close(): void;
}

/**
 * Wires a TaskRun log EventSource to a state setter: each `chunk`, `end` and `error` event goes through
 * applyTaskRunLogEvent, and the source is closed as soon as an event ends the stream, so the browser does not
 * reconnect after the server's `event: error` (it would get 401/403 and stop without a word).
 */
export function followTaskRunLog(
  source: LogEventSource,
  update: (change: (state: TaskRunLogState) => TaskRunLogState) => void,
): void {
  for (const type of ['chunk', 'end', 'error']) {
    source.addEventListener(type, (event) => {
      const data = event instanceof MessageEvent ? (event.data as unknown) : undefined;
      const ev: TaskRunLogEvent = { type, data, readyState: source.readyState };
      if (endsStream(ev)) source.close();
      update((s) => applyTaskRunLogEvent(s, ev));
    });
  }
}
