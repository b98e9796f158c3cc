/**
 * The 16 base colours, tuned to read on the log view's dark background (#0b1220), then xterm's 256-colour
 * cube and grey ramp. Colours are CSS strings so a renderer passes them on unchanged.
 */
export const BASE_COLORS = [
  '#5c6370', // black: a grey, since true black vanishes on the dark background
  '#ef596f', // red
  '#89ca78', // green
  '#e5c07b', // yellow
  '#61afef', // blue
  '#d55fde', // magenta
  '#2bbac5', // cyan
  '#d7dae0', // white
  '#7f848e', // bright black
  '#ff7b8c', // bright red
  '#a8e08f', // bright green
  '#f5d78e', // bright yellow
  '#82c4ff', // bright blue
  '#ea8bf2', // bright magenta
  '#5fe0ea', // bright cyan
  '#ffffff', // bright white
] as const;

const CUBE_LEVELS = [0, 95, 135, 175, 215, 255];

const hex = (n: number) => n.toString(16).padStart(2, '0');
export const rgb = (r: number, g: number, b: number) => `#${hex(r)}${hex(g)}${hex(b)}`;

/** xterm's 256-colour palette entry `n` (0–255), or undefined when out of range. */
export function color256(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 0 || n > 255) return undefined;
  if (n < 16) return BASE_COLORS[n];
  if (n < 232) {
    const i = n - 16;
    return rgb(CUBE_LEVELS[Math.floor(i / 36)], CUBE_LEVELS[Math.floor(i / 6) % 6], CUBE_LEVELS[i % 6]);
  }
  const grey = 8 + (n - 232) * 10;
  return rgb(grey, grey, grey);
}

/** A 24-bit colour from SGR 38;2;r;g;b, or undefined when a channel is missing or out of range. */
export function trueColor(r: number, g: number, b: number): string | undefined {
  const ok = (c: number) => Number.isInteger(c) && c >= 0 && c <= 255;
  return ok(r) && ok(g) && ok(b) ? rgb(r, g, b) : undefined;
}
