/** One log line as the pod logs view keeps it: the plain text (ANSI removed) and the timestamp the API sent. */
export interface DownloadLine {
  plain: string;
  timestamp: string | null;
}

/**
 * The text a download saves: the lines shown, without escapes, each prefixed with its RFC 3339 timestamp and a
 * space when timestamps are shown (as `kubectl logs --timestamps` prints them), ending with a newline.
 */
export function downloadText(lines: readonly DownloadLine[], timestamps: boolean): string {
  if (lines.length === 0) return '';
  const out = lines.map((l) => (timestamps && l.timestamp ? `${l.timestamp} ${l.plain}` : l.plain));
  return `${out.join('\n')}\n`;
}

/** `<pod>-<container>.log`, with anything that is not safe in a file name replaced by `_`. */
export function logFileName(pod: string, container: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || '_';
  return `${safe(pod)}-${safe(container)}.log`;
}

/**
 * A timestamp for the timestamp column: `2026-12-04 23:46:47.123` in UTC (Kubernetes sends nanoseconds; the
 * column keeps milliseconds), or the text unchanged when it is not RFC 3339.
 */
export function shortTimestamp(ts: string | null): string {
  if (!ts) return '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/.exec(ts);
  if (!m) return ts;
  if (m[4] !== 'Z') {
    const d = new Date(ts);
    return Number.isNaN(d.getTime()) ? ts : shortTimestamp(d.toISOString());
  }
  return `${m[1]} ${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}`;
}
