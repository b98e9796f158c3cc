/**
 * A container log as the kubelet sends it (`timestamps=true`): bytes, one line per `\n`, each line starting with
 * an RFC3339Nano timestamp and a space. Lines are split without ever holding more than one capped line, and the
 * timestamp is taken off so that the UI can show or hide it.
 */

/** The longest line kept whole; the rest of a longer line is dropped and CUT_MARKER appended. */
export const MAX_LINE_BYTES = 64 * 1024;
export const CUT_MARKER = ' … [line cut: longer than 64 KiB]';

const NEWLINE = 0x0a;

/** `end`, moved back to the start of a UTF-8 sequence that `bytes[0..end)` would cut in half. */
function utf8Boundary(bytes: Uint8Array, end: number): number {
  let lead = end - 1;
  // Continuation bytes are 10xxxxxx; a sequence has at most 3 of them after its lead byte.
  while (lead >= 0 && lead > end - 4 && (bytes[lead] & 0xc0) === 0x80) lead--;
  if (lead < 0 || bytes[lead] < 0xc0) return end;
  const need = bytes[lead] >= 0xf0 ? 4 : bytes[lead] >= 0xe0 ? 3 : 2;
  return end - lead >= need ? end : lead;
}

/** Splits a byte stream into lines of at most `maxBytes` (longer ones cut, with CUT_MARKER). */
export class LogLineSplitter {
  readonly #maxBytes: number;
  readonly #decoder = new TextDecoder();
  #parts: Uint8Array[] = [];
  #size = 0;
  #cut = false;

  constructor(maxBytes = MAX_LINE_BYTES) {
    this.#maxBytes = maxBytes;
  }

  /** The lines that this chunk completes. */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      this.#keep(chunk.subarray(start, nl));
      lines.push(this.#take());
      start = nl + 1;
    }
    if (start < chunk.length) this.#keep(chunk.subarray(start));
    return lines;
  }

  /** The last line when the stream ended without a newline; undefined when nothing is pending. */
  end(): string | undefined {
    return this.#size > 0 || this.#cut ? this.#take() : undefined;
  }

  #keep(bytes: Uint8Array): void {
    if (this.#cut || bytes.length === 0) return;
    const room = this.#maxBytes - this.#size;
    if (bytes.length > room) {
      this.#cut = true;
      bytes = bytes.subarray(0, room);
    }
    // Copied: the caller may reuse its buffer.
    this.#parts.push(bytes.slice());
    this.#size += bytes.length;
  }

  #take(): string {
    const all = new Uint8Array(this.#size);
    let at = 0;
    for (const p of this.#parts) {
      all.set(p, at);
      at += p.length;
    }
    const line = this.#cut
      ? this.#decoder.decode(all.subarray(0, utf8Boundary(all, all.length))) + CUT_MARKER
      : this.#decoder.decode(all);
    this.#parts = [];
    this.#size = 0;
    this.#cut = false;
    return line;
  }
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2}))(?: |$)/;

/** `2026-12-04T23:46:47.123456789Z hello` → timestamp and `hello`; a line without one keeps its text. */
export function splitTimestamp(raw: string): { timestamp: string | null; line: string } {
  const m = TIMESTAMP.exec(raw);
  if (!m) return { timestamp: null, line: raw };
  return { timestamp: m[1], line: raw.slice(m[0].length) };
}
