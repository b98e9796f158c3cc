import { ZPodLogEnd, ZPodLogError, ZPodLogLine } from '@/lib/schemas/pod-logs';
import { stripAnsi } from '@/lib/domain/logs/ansi';
import type { SseEvent } from './sse-parser';

export interface PodLogLine {
  /** Position in the stream, for React keys. */
  seq: number;
  pod: string;
  container: string;
  /** The raw line, escapes and all: only the ANSI renderer reads it. */
  line: string;
  /** The text a reader sees (escapes removed), for filtering and download. */
  plain: string;
  timestamp: string | null;
}

export type StreamPhase = 'connecting' | 'streaming' | 'ended' | 'error';

export interface PodLogState {
  phase: StreamPhase;
  lines: PodLogLine[];
  /** Lines dropped from the front to keep at most `max` in memory. */
  dropped: number;
  /** Why the stream ended (`completed`, `cancelled`, or `closed` when the connection closed without saying). */
  reason?: string;
  error?: { message: string; status?: number };
  nextSeq: number;
}

export const initialLogState = (): PodLogState => ({ phase: 'connecting', lines: [], dropped: 0, nextSeq: 0 });

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/**
 * Applies a batch of SSE events to the view's state: `log` appends a line (keeping the newest `max`), `end` and
 * `error` finish the stream. Events after the end, unknown events and malformed payloads change nothing, except
 * that a malformed `error` still shows as an error. Returns the same object when nothing changed.
 */
export function applyLogEvents(state: PodLogState, events: readonly SseEvent[], max: number): PodLogState {
  if (state.phase === 'ended' || state.phase === 'error' || events.length === 0) return state;
  let { lines, dropped, nextSeq } = state;
  let phase: StreamPhase = state.phase === 'connecting' ? 'streaming' : state.phase;
  let reason: string | undefined;
  let error: PodLogState['error'];
  const added: PodLogLine[] = [];
  for (const ev of events) {
    if (ev.event === 'log') {
      const parsed = ZPodLogLine.safeParse(parseJson(ev.data));
      if (!parsed.success) continue;
      const { pod, container, line, timestamp } = parsed.data;
      added.push({ seq: nextSeq++, pod, container, line, plain: stripAnsi(line), timestamp });
    } else if (ev.event === 'end') {
      const parsed = ZPodLogEnd.safeParse(parseJson(ev.data));
      phase = 'ended';
      reason = parsed.success ? parsed.data.reason : 'completed';
      break;
    } else if (ev.event === 'error') {
      const parsed = ZPodLogError.safeParse(parseJson(ev.data));
      phase = 'error';
      error = { message: parsed.success ? parsed.data.message : ev.data || 'The log stream failed.' };
      break;
    }
  }
  if (added.length > 0) {
    lines = lines.concat(added);
    if (lines.length > max) {
      dropped += lines.length - max;
      lines = lines.slice(lines.length - max);
    }
  }
  return { phase, lines, dropped, reason, error, nextSeq };
}

/** The connection closed: without an `end` or `error` event first, the stream counts as ended with reason `closed`. */
export function closeLogState(state: PodLogState): PodLogState {
  if (state.phase === 'ended' || state.phase === 'error') return state;
  return { ...state, phase: 'ended', reason: 'closed' };
}

/** The request failed before the stream started (4xx/5xx JSON, or the network). */
export function failLogState(state: PodLogState, message: string, status?: number): PodLogState {
  return { ...state, phase: 'error', error: { message, status } };
}
