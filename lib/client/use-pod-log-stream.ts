'use client';
import { useCallback, useEffect, useState } from 'react';
import { applyLogEvents, closeLogState, failLogState, initialLogState, type PodLogState } from './pod-log-events';
import { SseParser, type SseEvent } from './sse-parser';

/** At most this many lines stay in memory; older ones are dropped (and counted) so a long follow stays light. */
export const MAX_LOG_LINES = 50_000;
/** Events are applied in batches at most this often, so a burst of 10,000 lines is a handful of renders. */
const FLUSH_MS = 60;

type ErrorBody = { error?: { message?: string } } | null;

/**
 * Streams one container's log over SSE with fetch (so a 4xx answer's status and JSON message are readable, which
 * EventSource hides). A new `url`, `restart()` or unmounting aborts the request, which closes the stream.
 */
export function usePodLogStream(url: string | null): PodLogState & { restart: () => void } {
  const [state, setState] = useState<PodLogState>(initialLogState);
  const [attempt, setAttempt] = useState(0);
  const restart = useCallback(() => setAttempt((n) => n + 1), []);

  useEffect(() => {
    setState(initialLogState());
    if (!url) return;
    const abort = new AbortController();
    let pending: SseEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      const batch = pending;
      pending = [];
      if (batch.length > 0) setState((s) => applyLogEvents(s, batch, MAX_LOG_LINES));
    };
    const take = (events: SseEvent[]) => {
      for (const ev of events) pending.push(ev);
      if (events.some((e) => e.event !== 'log')) flush();
      else if (timer === undefined && pending.length > 0) timer = setTimeout(flush, FLUSH_MS);
    };

    void (async () => {
      let res: Response;
      try {
        res = await fetch(url, { signal: abort.signal, headers: { accept: 'text/event-stream' }, cache: 'no-store' });
      } catch {
        if (!abort.signal.aborted) setState((s) => failLogState(s, 'Could not reach the server for the log stream.'));
        return;
      }
      if (!res.ok || !res.body) {
        const body = (await res.json().catch(() => null)) as ErrorBody;
        const message = body?.error?.message ?? `The log request failed with status ${res.status}.`;
        if (!abort.signal.aborted) setState((s) => failLogState(s, message, res.status));
        return;
      }
      setState((s) => (s.phase === 'connecting' ? { ...s, phase: 'streaming' } : s));
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new SseParser();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          take(parser.push(value));
        }
        take(parser.end());
        flush();
        setState(closeLogState);
      } catch {
        if (abort.signal.aborted) return;
        flush();
        setState((s) => failLogState(s, 'The connection to the log stream was lost.'));
      }
    })();

    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [url, attempt]);

  return { ...state, restart };
}
