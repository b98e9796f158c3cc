import { memo, type CSSProperties } from 'react';
import { parseAnsi, type AnsiStyle } from '@/lib/domain/logs/ansi';
import { markSegments } from '@/lib/domain/logs/log-filter';

/** The inline style of one ANSI run; inverse swaps the colours against the log view's own. */
function ansiCss(s: AnsiStyle): CSSProperties | undefined {
  if (Object.keys(s).length === 0) return undefined;
  const fg = s.inverse ? (s.bg ?? 'var(--log-bg)') : s.fg;
  const bg = s.inverse ? (s.fg ?? 'var(--log-fg)') : s.bg;
  const deco = [s.underline ? 'underline' : '', s.strike ? 'line-through' : ''].filter(Boolean).join(' ');
  return {
    color: fg,
    backgroundColor: bg,
    fontWeight: s.bold ? 700 : undefined,
    opacity: s.dim ? 0.7 : undefined,
    fontStyle: s.italic ? 'italic' : undefined,
    textDecoration: deco || undefined,
  };
}

/**
 * One log line with its ANSI colours, built as React elements: the text only ever lands in text nodes, so markup in
 * a log line is shown, never run. Matches of `query` are wrapped in <mark>.
 */
export const AnsiText = memo(function AnsiText({ line, query }: { line: string; query: string }) {
  const segments = markSegments(parseAnsi(line), query);
  return (
    <>
      {segments.map((seg, i) => {
        const style = ansiCss(seg.style);
        if (seg.mark)
          return (
            <mark
              key={i}
              className="pl-mark"
              style={style && { ...style, color: undefined, backgroundColor: undefined }}
            >
              {seg.text}
            </mark>
          );
        return style ? (
          <span key={i} style={style}>
            {seg.text}
          </span>
        ) : (
          <span key={i}>{seg.text}</span>
        );
      })}
    </>
  );
});
