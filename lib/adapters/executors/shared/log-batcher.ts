import type { LogLine } from '../../../domain/pipeline/task-run-plan';

export type LogSink = (lines: LogLine[]) => Promise<void> | void;

/**
 * Collects log lines and hands them to the sink in batches: at most `intervalMs` after a line
 * arrives, and at once on `flush()`. Deliveries run one after another, so batches arrive in order;
 * a slow sink never blocks the step, whose lines just pile up for the next batch.
 */
export class LogBatcher {
  private buffer: LogLine[] = [];
  private timer: NodeJS.Timeout | undefined;
  private delivering: Promise<void> = Promise.resolve();

  constructor(
    private readonly sink: LogSink,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  add(line: LogLine): void {
    this.buffer.push(line);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Hands everything buffered to the sink now (delivery itself may still be in progress). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.delivering = this.delivering.then(async () => {
      try {
        await this.sink(batch);
      } catch (error) {
        this.onError(error);
      }
    });
  }

  /** Flushes and waits until every batch has been delivered. */
  async drain(): Promise<void> {
    this.flush();
    await this.delivering;
  }
}
