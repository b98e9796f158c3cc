/** Rows for showing a unified diff (`diff -u` text) unified or side by side. */

export type DiffLineKind = 'context' | 'add' | 'del' | 'hunk';

export interface UnifiedRow {
  kind: DiffLineKind;
  /** Line numbers in the old (live) and new (desired) text; absent where the line has no side. */
  oldNo?: number;
  newNo?: number;
  text: string;
}

export interface SideCell {
  no: number;
  text: string;
  kind: 'context' | 'add' | 'del';
}

export interface SplitRow {
  kind: 'hunk' | 'line';
  left?: SideCell;
  right?: SideCell;
  /** The hunk header, for kind 'hunk'. */
  text?: string;
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/;

/** Parses `diff -u` text; file headers (---/+++) are dropped, "\ No newline" notes skipped. */
export function unifiedRows(diff: string): UnifiedRow[] {
  const rows: UnifiedRow[] = [];
  let oldNo = 0;
  let newNo = 0;
  let inHunk = false;
  for (const line of diff.split('\n')) {
    const hunk = HUNK.exec(line);
    if (hunk) {
      oldNo = Number(hunk[1]);
      newNo = Number(hunk[2]);
      inHunk = true;
      rows.push({ kind: 'hunk', text: line });
      continue;
    }
    if (!inHunk || line.startsWith('\\')) continue;
    const mark = line[0];
    const text = line.slice(1);
    if (mark === '+') rows.push({ kind: 'add', newNo: newNo++, text });
    else if (mark === '-') rows.push({ kind: 'del', oldNo: oldNo++, text });
    else if (mark === ' ') rows.push({ kind: 'context', oldNo: oldNo++, newNo: newNo++, text });
    else if (line === '') continue;
  }
  return rows;
}

/** Side by side: context on both sides, and each run of deletions paired line by line with the additions after it. */
export function splitRows(diff: string): SplitRow[] {
  const out: SplitRow[] = [];
  let dels: SideCell[] = [];
  let adds: SideCell[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(dels.length, adds.length); i++)
      out.push({ kind: 'line', left: dels[i], right: adds[i] });
    dels = [];
    adds = [];
  };
  for (const r of unifiedRows(diff)) {
    if (r.kind === 'del') {
      if (adds.length > 0) flush();
      dels.push({ no: r.oldNo!, text: r.text, kind: 'del' });
    } else if (r.kind === 'add') adds.push({ no: r.newNo!, text: r.text, kind: 'add' });
    else {
      flush();
      if (r.kind === 'hunk') out.push({ kind: 'hunk', text: r.text });
      else
        out.push({
          kind: 'line',
          left: { no: r.oldNo!, text: r.text, kind: 'context' },
          right: { no: r.newNo!, text: r.text, kind: 'context' },
        });
    }
  }
  flush();
  return out;
}

/** Counts of added and removed lines, for a "+3 −1" summary. */
export function diffStats(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const r of unifiedRows(diff)) {
    if (r.kind === 'add') added++;
    else if (r.kind === 'del') removed++;
  }
  return { added, removed };
}
