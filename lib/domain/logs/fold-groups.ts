/**
 * GitHub-Actions-style folding: lines between `::group::Title` and `::endgroup::` form a block that
 * the log view can collapse. Unclosed groups run to the end; nested markers start a new group.
 */
export interface LogEntry {
  at: string;
  stream: string;
  text: string;
}

export type LogBlock = { kind: 'line'; entry: LogEntry } | { kind: 'group'; title: string; entries: LogEntry[] };

const GROUP = /^::group::(.*)$/;
const END = /^::endgroup::\s*$/;

export function foldGroups(entries: readonly LogEntry[]): LogBlock[] {
  const blocks: LogBlock[] = [];
  let open: { kind: 'group'; title: string; entries: LogEntry[] } | undefined;
  for (const entry of entries) {
    const start = GROUP.exec(entry.text);
    if (start) {
      open = { kind: 'group', title: start[1].trim() || 'group', entries: [] };
      blocks.push(open);
    } else if (END.test(entry.text)) {
      open = undefined;
    } else if (open) {
      open.entries.push(entry);
    } else {
      blocks.push({ kind: 'line', entry });
    }
  }
  return blocks;
}
