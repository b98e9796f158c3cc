import { StringDecoder } from 'node:string_decoder';

/** Longer lines are cut into pieces of this many characters so one endless line cannot exhaust memory. */
export const MAX_LINE_CHARS = 64 * 1024;

/**
 * Turns a byte stream into whole lines. Chunks may end mid-line or mid-character; `\r\n` counts as
 * one line ending; a last line without a newline is returned by `end()`.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(private readonly maxLineChars = MAX_LINE_CHARS) {}

  push(chunk: Buffer | string): string[] {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    return this.takeLines();
  }

  /** Flushes whatever is left, including a final line without a newline. */
  end(): string[] {
    this.pending += this.decoder.end();
    const lines = this.takeLines();
    if (this.pending.length > 0) lines.push(stripCr(this.pending));
    this.pending = '';
    return lines;
  }

  private takeLines(): string[] {
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const nl = this.pending.indexOf('\n', start);
      if (nl === -1) break;
      lines.push(...this.cut(stripCr(this.pending.slice(start, nl))));
      start = nl + 1;
    }
    this.pending = this.pending.slice(start);
    while (this.pending.length > this.maxLineChars) {
      lines.push(this.pending.slice(0, this.maxLineChars));
      this.pending = this.pending.slice(this.maxLineChars);
    }
    return lines;
  }

  private cut(line: string): string[] {
    if (line.length <= this.maxLineChars) return [line];
    const pieces: string[] = [];
    for (let i = 0; i < line.length; i += this.maxLineChars) pieces.push(line.slice(i, i + this.maxLineChars));
    return pieces;
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
