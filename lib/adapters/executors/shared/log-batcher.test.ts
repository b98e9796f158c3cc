import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogLine } from '../../../domain/pipeline/task-run-plan';
import { LogBatcher } from './log-batcher';

const line = (text: string): LogLine => ({ step: 's', stream: 'stdout', at: new Date(0), text });

describe('LogBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('delivers a batch once the interval has passed since the first buffered line', async () => {
    const batches: string[][] = [];
    const b = new LogBatcher(
      (lines) => void batches.push(lines.map((l) => l.text)),
      100,
      () => undefined,
    );
    b.add(line('a'));
    await vi.advanceTimersByTimeAsync(50);
    b.add(line('b'));
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(50);
    expect(batches).toEqual([['a', 'b']]);
    b.add(line('c'));
    await b.drain();
    expect(batches).toEqual([['a', 'b'], ['c']]);
  });

  it('keeps order and buffers while a slow sink is busy', async () => {
    const batches: string[][] = [];
    const b = new LogBatcher(
      async (lines) => {
        await new Promise((r) => setTimeout(r, 500));
        batches.push(lines.map((l) => l.text));
      },
      100,
      () => undefined,
    );
    b.add(line('1'));
    b.flush();
    b.add(line('2'));
    b.add(line('3'));
    await vi.advanceTimersByTimeAsync(100);
    b.add(line('4'));
    const drained = b.drain();
    await vi.advanceTimersByTimeAsync(2000);
    await drained;
    expect(batches).toEqual([['1'], ['2', '3'], ['4']]);
  });

  it('reports sink errors and goes on delivering', async () => {
    const errors: unknown[] = [];
    const delivered: string[] = [];
    let first = true;
    const b = new LogBatcher(
      (lines) => {
        if (first) {
          first = false;
          throw new Error('store down');
        }
        delivered.push(...lines.map((l) => l.text));
      },
      100,
      (e) => errors.push(e),
    );
    b.add(line('lost'));
    b.flush();
    b.add(line('kept'));
    await b.drain();
    expect(errors).toHaveLength(1);
    expect(delivered).toEqual(['kept']);
  });
});
