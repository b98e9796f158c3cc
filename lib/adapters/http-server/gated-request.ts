import { IncomingMessage } from 'node:http';

export type BodyVerdict = 'complete' | 'too-large';

/**
 * The web server's request class (`createServer({ IncomingMessage: GatedRequest })`). Node's HTTP
 * parser hands each body chunk to `push`; once `holdBody` is called the chunks are counted and held
 * back instead of reaching readers. The body is released to readers (Next.js) only when it ended
 * within the cap; the moment the cap is crossed the held bytes are dropped, later chunks are
 * discarded as they arrive, and the caller answers 413. So no reader ever buffers an oversized body,
 * whether or not a Content-Length was sent.
 */
export class GatedRequest extends IncomingMessage {
  private held: Buffer[] = [];
  private size = 0;
  private maxBytes = Number.POSITIVE_INFINITY;
  private state: 'open' | 'holding' | 'released' | 'refused' = 'open';
  private settle: ((verdict: BodyVerdict) => void) | undefined;

  /** Bytes of body received so far (held or released). */
  get bodyBytes(): number {
    return this.size;
  }

  /** Starts counting; resolves when the whole body arrived within `maxBytes`, or as soon as it crosses it. */
  holdBody(maxBytes: number): Promise<BodyVerdict> {
    const declared = Number(this.headers['content-length'] ?? 0);
    if (declared > maxBytes) {
      this.state = 'refused';
      return Promise.resolve('too-large');
    }
    if (this.complete) return Promise.resolve('complete');
    this.maxBytes = maxBytes;
    this.state = 'holding';
    return new Promise((resolve) => {
      this.settle = resolve;
    });
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (this.state === 'open' || this.state === 'released') return super.push(chunk, encoding);
    if (this.state === 'refused') {
      // Discard: count only, so a client that keeps sending costs no memory.
      if (Buffer.isBuffer(chunk)) this.size += chunk.length;
      return chunk === null ? super.push(null) : true;
    }
    if (chunk === null) {
      this.state = 'released';
      for (const held of this.held) super.push(held);
      this.held = [];
      this.settle?.('complete');
      return super.push(null);
    }
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), encoding);
    this.size += buf.length;
    if (this.size > this.maxBytes) {
      this.state = 'refused';
      this.held = [];
      this.settle?.('too-large');
      return true;
    }
    this.held.push(buf);
    return true;
  }
}
