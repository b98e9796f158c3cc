/** Go `time.ParseDuration` syntax as Tekton accepts it: "1h30m", "10s", "500ms", "1.5h", "0". */
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** What parseGoDuration accepts, as a pattern (for JSON Schema: the OpenAPI document's duration fields). */
export const GO_DURATION_PATTERN = /^\s*([+-]?0|\+?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)\s*$/;

/** Milliseconds, or undefined when the text is not a Go duration. "0" (and any zero duration) is 0. */
export function parseGoDuration(text: string): number | undefined {
  const input = text.trim();
  if (input === '0' || input === '+0' || input === '-0') return 0;
  if (input === '' || input.startsWith('-')) return undefined;
  const body = input.startsWith('+') ? input.slice(1) : input;
  let total = 0;
  PART.lastIndex = 0;
  let consumed = 0;
  while (consumed < body.length) {
    PART.lastIndex = consumed;
    const match = PART.exec(body);
    if (!match) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2]];
    consumed = PART.lastIndex;
  }
  return Math.round(total);
}

export function isGoDuration(text: string): boolean {
  return parseGoDuration(text) !== undefined;
}

/** Formats milliseconds the way Go prints durations ("1h0m0s", "1m30s", "500ms"), for messages. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
