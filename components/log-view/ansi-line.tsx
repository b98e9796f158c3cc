import Anser from 'anser';

/** Renders one log line with its ANSI colours and styles, escaping everything else. */
export function AnsiLine({ text }: { text: string }) {
  const parts = Anser.ansiToJson(text, { remove_empty: true, use_classes: false });
  return (
    <>
      {parts.map((p, i) => (
        <span
          key={i}
          style={{
            color: p.fg ? `rgb(${p.fg})` : undefined,
            background: p.bg ? `rgb(${p.bg})` : undefined,
            fontWeight: p.decorations.includes('bold') ? 700 : undefined,
            fontStyle: p.decorations.includes('italic') ? 'italic' : undefined,
            textDecoration: p.decorations.includes('underline') ? 'underline' : undefined,
          }}
        >
          {p.content}
        </span>
      ))}
    </>
  );
}
