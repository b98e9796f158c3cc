import { describe, expect, it } from 'vitest';
import { createWorkQueue } from './work-queue';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('createWorkQueue', () => {
  it('never runs one key twice at once and re-runs a key added while it runs', async () => {
    const log: string[] = [];
    let active = 0;
    let maxActive = 0;
    const q = createWorkQueue<string>(4, async (k) => {
      active++;
      maxActive = Math.max(maxActive, active);
      log.push(`start ${k}`);
      await tick();
      log.push(`end ${k}`);
      active--;
    }, () => undefined);
    q.add('a');
    q.add('a');
    await tick();
    q.add('a');
    q.add('a');
    await q.idle();
    expect(log).toEqual(['start a', 'end a', 'start a', 'end a']);
    expect(maxActive).toBe(1);
  });

  it('bounds concurrency and survives a failing handler', async () => {
    let active = 0;
    let maxActive = 0;
    const errors: string[] = [];
    const q = createWorkQueue<number>(2, async (k) => {
      active++;
      maxActive = Math.max(maxActive, active);
      await tick();
      active--;
      if (k === 3) throw new Error('boom');
    }, (k) => errors.push(String(k)));
    for (let i = 0; i < 6; i++) q.add(i);
    await q.idle();
    expect(maxActive).toBe(2);
    expect(errors).toEqual(['3']);
  });
});
