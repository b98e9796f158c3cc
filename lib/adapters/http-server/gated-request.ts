import { IncomingMessage } from 'node:http';

export type BodyVerdict = 'complete' | 'too-large' | 'busy';

/** Bytes all requests may hold at once; a chunk that does not fit refuses its request ('busy'). */
export class BodyBudget {
  private used = 0;
  constructor(readonly limit: number) {}
  get inUse(): number {
    return this.used;
  }
  take(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }
  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

/**
 * The web server's request class (`createServer({ IncomingMessage: GatedRequest })`). Node's HTTP
 * parser hands each body chunk to `push`; once `holdBody` is called the chunks are counted and held
 * back instead of reaching readers. The body is released to readers (Next.js) only when it ended
 * within the cap; the moment the cap is crossed the held bytes are dropped, later chunks are
 * discarded as they arrive, and the caller answers 413. So no reader ever buffers an oversized body,
 * whether or not a Content-Length was sent. With a budget, every held byte is also taken from it (and given
 * back by `releaseBudget` when the response is done): a chunk that does not fit refuses the request as
 * 'busy', so all requests together never hold more than the budget.
 */
export class GatedRequest extends IncomingMessage {
  private held: Buffer[] = [];
  private size = 0;
  private maxBytes = Number.POSITIVE_INFINITY;
  private state: 'open' | 'holding' | 'released' | 'refused' = 'open';
  private settle: ((verdict: BodyVerdict) => void) | undefined;
  private budget: BodyBudget | undefined;
  private reserved = 0;

  /** Bytes of body received so far (held or released). */
  get bodyBytes(): number {
    return this.size;
  }

  /** Starts counting; resolves when the whole body arrived within `maxBytes`, or as soon as it crosses it. */
  holdBody(maxBytes: number, budget?: BodyBudget): Promise<BodyVerdict> {
    const declared = Number(this.headers['content-length'] ?? 0);
    if (declared > maxBytes) {
      this.state = 'refused';
      return Promise.resolve('too-large');
    }
    if (this.complete) return Promise.resolve('complete');
    this.maxBytes = maxBytes;
    this.budget = budget;
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
    if (this.size > this.maxBytes) return this.refuse('too-large');
    if (this.budget && !this.budget.take(buf.length)) return this.refuse('busy');
    this.reserved += buf.length;
    this.held.push(buf);
    return true;
  }

  /** Gives the held bytes back to the budget; the server calls it when the response is done. Idempotent. */
  releaseBudget(): void {
    if (this.reserved > 0) this.budget?.give(this.reserved);
    this.reserved = 0;
  }

  private refuse(verdict: BodyVerdict): true {
    this.state = 'refused';
    this.held = [];
    this.releaseBudget();
    this.settle?.(verdict);
    return true;
  }
}
