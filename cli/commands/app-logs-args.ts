/** The flags of `keelson app logs`, turned into the query of GET /api/v1/applications/{name}/logs. */

export interface LogsFlags {
  kind: string;
  name?: string;
  group?: string;
  namespace?: string;
  pod?: string;
  container?: string;
  follow?: boolean;
  previous?: boolean;
  timestamps?: boolean;
  tail?: string;
  since?: string;
  /** Print escape sequences as they are, on a terminal too (app-logs-terminal.ts). */
  raw?: boolean;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** `90`, `30s`, `10m`, `2h`, `1h30m` → seconds (as kubectl's --since); undefined when it is none of those. */
export function parseSince(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text) || undefined;
  if (!/^(\d+[hms])+$/.test(text)) return undefined;
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)([hms])/g)) total += Number(n) * UNIT_SECONDS[unit];
  return total > 0 ? total : undefined;
}

/** The query string; a flag value the CLI can already tell is wrong is a usage error (the server checks the rest). */
export function logsQuery(f: LogsFlags): URLSearchParams | { usage: string } {
  if (!f.name) return { usage: 'give --name: the name of the Pod or workload whose log to show' };
  const q = new URLSearchParams({ kind: f.kind, resourceName: f.name, timestamps: 'true' });
  if (f.group !== undefined) q.set('group', f.group);
  if (f.namespace) q.set('namespace', f.namespace);
  if (f.pod) q.set('podName', f.pod);
  if (f.container) q.set('container', f.container);
  if (f.follow) q.set('follow', 'true');
  if (f.previous) q.set('previous', 'true');
  if (f.tail !== undefined) {
    if (!/^\d+$/.test(f.tail)) return { usage: `--tail must be a whole number of lines, not "${f.tail}"` };
    q.set('tailLines', f.tail);
  }
  if (f.since !== undefined) {
    const seconds = parseSince(f.since);
    if (seconds === undefined) return { usage: `--since must be a duration such as 30s, 10m or 2h, not "${f.since}"` };
    q.set('sinceSeconds', String(seconds));
  }
  return q;
}
