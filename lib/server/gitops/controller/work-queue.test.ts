import { describe, expect, it } from 'vitest';
import { createWorkQueue } from './work-queue';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('createWorkQueue', () => {
  it('never runs one key twice at once and re-runs a key added while it runs', async () => {
    const log: string[] = [];
    let release: () => void = () => undefined;
    const q = createWorkQueue<string>(
      4,
      async (k) => {
        log.push(`start ${k}`);
        await new Promise<void>((r) => (release = r));
        log.push(`end ${k}`);
      },
      () => undefined,
    );
    q.add('a');
    q.add('a');
    expect(log).toEqual(['start a']);
    q.add('a');
    q.add('a');
    release();
    await tick();
    expect(log).toEqual(['start a', 'end a', 'start a']);
    release();
    await q.idle();
    expect(log).toEqual(['start a', 'end a', 'start a', 'end a']);
  });

  it('bounds concurrency and survives a failing handler', async () => {
    let active = 0;
    let maxActive = 0;
    const errors: string[] = [];
    const q = createWorkQueue<number>(
      2,
      async (k) => {
        active++;
        maxActive = Math.max(maxActive, active);
        await tick();
        active--;
        if (k === 3) throw new Error('boom');
      },
      (k) => errors.push(String(k)),
    );
    for (let i = 0; i < 6; i++) q.add(i);
    await q.idle();
    expect(maxActive).toBe(2);
    expect(errors).toEqual(['3']);
  });

  it('offer adds a key that is not running, and leaves a running one alone (its run covers it)', async () => {
    const runs: string[] = [];
    let release: () => void = () => undefined;
    const q = createWorkQueue<string>(
      1,
      async (k) => {
        runs.push(k);
        await new Promise<void>((r) => (release = r));
      },
      () => undefined,
    );
    q.offer('a');
    q.offer('a');
    q.offer('b');
    expect(runs).toEqual(['a']);
    release();
    await tick();
    expect(runs).toEqual(['a', 'b']);
    q.offer('b');
    release();
    await q.idle();
    expect(runs).toEqual(['a', 'b']);
  });
});
