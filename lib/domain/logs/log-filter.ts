import type { AnsiSegment } from './ansi';

/** Lower-cases one UTF-16 unit at a time, keeping a unit whose lower case changes length so indexes still line up. */
function foldCase(text: string): string {
  let out = '';
  for (const ch of text) {
    const lower = ch.toLowerCase();
    out += lower.length === ch.length ? lower : ch;
  }
  return out;
}

/** Where `query` occurs in `text`, case-insensitively, as [start, end) ranges that do not overlap. */
export function matchRanges(text: string, query: string): [number, number][] {
  if (query === '') return [];
  const hay = foldCase(text);
  const needle = foldCase(query);
  const ranges: [number, number][] = [];
  for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + needle.length)) {
    ranges.push([at, at + needle.length]);
  }
  return ranges;
}

/** The lines whose plain text contains `query` (case-insensitive); all lines for an empty query. */
export function filterLines<T extends { plain: string }>(lines: readonly T[], query: string): readonly T[] {
  if (query === '') return lines;
  const needle = foldCase(query);
  return lines.filter((l) => foldCase(l.plain).includes(needle));
}

export interface MarkedSegment extends AnsiSegment {
  /** True for a run that matches the filter. */
  mark?: boolean;
}

/** Splits styled segments at the filter's matches so a renderer can highlight them, keeping every segment's style. */
export function markSegments(segments: readonly AnsiSegment[], query: string): MarkedSegment[] {
  const ranges = matchRanges(segments.map((s) => s.text).join(''), query);
  if (ranges.length === 0) return [...segments];
  const out: MarkedSegment[] = [];
  let offset = 0;
  for (const seg of segments) {
    const end = offset + seg.text.length;
    let at = offset;
    for (const [from, to] of ranges) {
      if (to <= at || from >= end) continue;
      if (from > at) out.push({ text: seg.text.slice(at - offset, from - offset), style: seg.style });
      const stop = Math.min(to, end);
      out.push({ text: seg.text.slice(Math.max(from, at) - offset, stop - offset), style: seg.style, mark: true });
      at = stop;
    }
    if (at < end) out.push({ text: seg.text.slice(at - offset), style: seg.style });
    offset = end;
  }
  return out;
}
