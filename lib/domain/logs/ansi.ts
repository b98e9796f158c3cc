import { BASE_COLORS, color256, trueColor } from './ansi-colors';

/** The SGR state a run of text is drawn with. Colours are CSS strings. */
export interface AnsiStyle {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  strike?: boolean;
}

/** A run of plain text (escapes removed) and its style. */
export interface AnsiSegment {
  text: string;
  style: AnsiStyle;
}

/*
 * One token of a line, tried in order: a complete CSI sequence (ESC [ or the 8-bit CSI), an unterminated CSI at the
 * end of the line, an OSC string (ended by BEL or ST, or cut off), DCS/SOS/PM/APC strings, any other ESC sequence,
 * a lone ESC, one control character, or a run of text.
 */
const TOKEN = new RegExp(
  [
    '(?:\\x1b\\[|\\x9b)([0-?]*)([ -/]*)([@-~])',
    '(?:\\x1b\\[|\\x9b)[0-?]*[ -/]*$',
    '\\x1b\\][^\\x07\\x1b]*(?:\\x07|\\x1b\\\\|$)',
    '\\x1b[PX^_][^\\x1b]*(?:\\x1b\\\\|$)',
    '\\x1b[ -/]*[0-~]',
    '[\\x1b\\x9b]',
    '([\\x00-\\x08\\x0a-\\x1f\\x7f])',
    '([^\\x00-\\x08\\x0a-\\x1f\\x7f\\x1b\\x9b]+)',
  ].join('|'),
  'y',
);

function sameStyle(a: AnsiStyle, b: AnsiStyle): boolean {
  return (
    a.fg === b.fg &&
    a.bg === b.bg &&
    !a.bold === !b.bold &&
    !a.dim === !b.dim &&
    !a.italic === !b.italic &&
    !a.underline === !b.underline &&
    !a.inverse === !b.inverse &&
    !a.strike === !b.strike
  );
}

/** An extended colour (38/48 ;5;n or ;2;r;g;b) starting at params[i]; returns the colour and the params it used. */
function extendedColor(params: number[], i: number): { color?: string; used: number } {
  const mode = params[i + 1];
  if (mode === 5) return { color: color256(params[i + 2]), used: 2 };
  if (mode === 2) return { color: trueColor(params[i + 2], params[i + 3], params[i + 4]), used: 4 };
  return { used: 1 };
}

/** Applies one SGR parameter list ("1;31", "38;5;208", "" = reset) to a style, returning the new style. */
export function applySgr(style: AnsiStyle, paramText: string): AnsiStyle {
  // Colons are the ISO 8613-6 sub-parameter form (38:2::r:g:b); treat them as separators, dropping the empty colour space id.
  const normalized = paramText.replace(/:(?=:)/g, '').replace(/:/g, ';');
  const params = normalized === '' ? [0] : normalized.split(';').map((p) => (p === '' ? 0 : Number(p)));
  let s: AnsiStyle = { ...style };
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (p === 0) s = {};
    else if (p === 1) s.bold = true;
    else if (p === 2) s.dim = true;
    else if (p === 3) s.italic = true;
    else if (p === 4) s.underline = true;
    else if (p === 7) s.inverse = true;
    else if (p === 9) s.strike = true;
    else if (p === 21 || p === 22) s = { ...s, bold: undefined, dim: undefined };
    else if (p === 23) s.italic = undefined;
    else if (p === 24) s.underline = undefined;
    else if (p === 27) s.inverse = undefined;
    else if (p === 29) s.strike = undefined;
    else if (p >= 30 && p <= 37) s.fg = BASE_COLORS[p - 30];
    else if (p === 39) s.fg = undefined;
    else if (p >= 40 && p <= 47) s.bg = BASE_COLORS[p - 40];
    else if (p === 49) s.bg = undefined;
    else if (p >= 90 && p <= 97) s.fg = BASE_COLORS[p - 90 + 8];
    else if (p >= 100 && p <= 107) s.bg = BASE_COLORS[p - 100 + 8];
    else if (p === 38 || p === 48) {
      const { color, used } = extendedColor(params, i);
      if (color) s[p === 38 ? 'fg' : 'bg'] = color;
      i += used;
    }
  }
  for (const k of Object.keys(s) as (keyof AnsiStyle)[]) if (s[k] === undefined) delete s[k];
  return s;
}

/**
 * Splits a log line into styled runs of plain text. SGR sequences set the style; every other escape or control
 * character is dropped (a tab is kept); a carriage return starts the line over, as a terminal would, unless
 * nothing follows it. The text is never HTML: renderers put it in text nodes.
 */
export function parseAnsi(line: string): AnsiSegment[] {
  let segments: AnsiSegment[] = [];
  let style: AnsiStyle = {};
  let pendingReturn = false;
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < line.length && (m = TOKEN.exec(line)) !== null) {
    const [, params, intermediates, final, control, text] = m;
    if (final !== undefined) {
      if (final === 'm' && intermediates === '') style = applySgr(style, params);
    } else if (control !== undefined) {
      if (control === '\r') pendingReturn = true;
    } else if (text !== undefined) {
      if (pendingReturn) segments = [];
      pendingReturn = false;
      const last = segments.at(-1);
      if (last && sameStyle(last.style, style)) last.text += text;
      else segments.push({ text, style });
    }
  }
  return segments;
}

/** The line's plain text: what `parseAnsi` shows, without styles. */
export function stripAnsi(line: string): string {
  // A fast path for the common line without escapes or control characters.
  // eslint-disable-next-line no-control-regex
  if (!/[\x00-\x08\x0a-\x1f\x7f\x9b]/.test(line)) return line;
  return parseAnsi(line)
    .map((s) => s.text)
    .join('');
}
