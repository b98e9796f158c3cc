'use client';
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { PodLogLine } from '@/lib/client/pod-log-events';
import { shortTimestamp } from '@/lib/domain/logs/log-download';
import { visibleRange } from '@/lib/domain/logs/visible-range';
import { AnsiText } from './ansi-text';

/** Row height in px when lines do not wrap (CSS `.pl-line` uses the same); the virtual list relies on it. */
const ROW_H = 19;
/** Rows rendered above and below the visible ones. */
const OVERSCAN = 30;
/** Wrapped lines have no fixed height, so the wrapped view renders only the newest this many. */
export const WRAP_CAP = 2000;

function Row({ l, timestamps, query }: { l: PodLogLine; timestamps: boolean; query: string }) {
  return (
    <div className="pl-line">
      {timestamps ? (
        <span className="pl-ts" title={l.timestamp ?? undefined}>
          {shortTimestamp(l.timestamp)}
        </span>
      ) : null}
      <span className="pl-text">
        <AnsiText line={l.line} query={query} />
      </span>
    </div>
  );
}

/**
 * The log lines: a virtual list (only the visible rows are in the DOM) when lines do not wrap, the newest
 * WRAP_CAP lines when they do. With `follow` it keeps to the bottom until the user scrolls up, then offers a
 * "Jump to latest" button.
 */
export function LogLines({
  lines,
  timestamps,
  wrap,
  query,
  follow,
  empty,
}: {
  lines: readonly PodLogLine[];
  timestamps: boolean;
  wrap: boolean;
  query: string;
  follow: boolean;
  empty: ReactNode;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const [atBottom, setAtBottom] = useState(true);
  const shown = wrap && lines.length > WRAP_CAP ? lines.slice(-WRAP_CAP) : lines;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Keep to the newest line while following and the user has not scrolled away; set the range before paint.
  useLayoutEffect(() => {
    const el = box.current;
    if (!el || !follow || !atBottom) return;
    el.scrollTop = el.scrollHeight;
    setScrollTop(el.scrollTop);
  }, [shown, follow, atBottom, wrap, timestamps]);

  const onScroll = () => {
    const el = box.current;
    if (!el) return;
    setScrollTop(el.scrollTop);
    setAtBottom(el.scrollHeight - el.scrollTop - el.clientHeight < ROW_H * 2);
  };
  const jump = () => {
    const el = box.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    setAtBottom(true);
  };

  const { first, last } = wrap
    ? { first: 0, last: shown.length }
    : visibleRange(scrollTop, height, shown.length, ROW_H, OVERSCAN);
  const rows = shown.slice(first, last);

  return (
    <div className="pl-frame">
      {wrap && lines.length > WRAP_CAP ? (
        <p className="pl-note" role="note">
          Wrapped view: showing the newest {WRAP_CAP.toLocaleString('en')} of {lines.length.toLocaleString('en')} lines.
          Turn off Wrap lines to scroll through all of them.
        </p>
      ) : null}
      <div
        ref={box}
        className={`pl-scroll${wrap ? ' pl-wrap' : ''}`}
        onScroll={onScroll}
        tabIndex={0}
        role="log"
        aria-live="off"
        aria-label="Log lines"
        data-testid="pod-log-lines"
        data-count={shown.length}
      >
        {shown.length === 0 ? (
          <div className="pl-empty">{empty}</div>
        ) : wrap ? (
          rows.map((l) => <Row key={l.seq} l={l} timestamps={timestamps} query={query} />)
        ) : (
          <div className="pl-rows" style={{ height: shown.length * ROW_H }}>
            <div style={{ transform: `translateY(${first * ROW_H}px)` }}>
              {rows.map((l) => (
                <Row key={l.seq} l={l} timestamps={timestamps} query={query} />
              ))}
            </div>
          </div>
        )}
      </div>
      {!atBottom && shown.length > 0 ? (
        <button type="button" className="btn pl-jump" onClick={jump}>
          ↓ Jump to latest
        </button>
      ) : null}
    </div>
  );
}
