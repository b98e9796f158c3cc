import { describe, expect, it } from 'vitest';
import { combineTimeouts, planTaskStart } from './plan-task-start';

describe('combineTimeouts', () => {
  it.each<[string | undefined, number | undefined, number | undefined]>([
    [undefined, undefined, undefined],
    ['10m', undefined, 600_000],
    [undefined, 5000, 5000],
    ['10m', 5000, 5000],
    ['1s', 5000, 1000],
    ['0', 5000, 5000],
    ['0', undefined, undefined],
  ])('task %s, remaining %s → %s', (own, remaining, expected) => {
    expect(combineTimeouts(own, remaining)).toBe(expected);
  });
});

describe('planTaskStart', () => {
  it('refuses a matrix over the cap at run time', () => {
    const values = Array.from({ length: 300 }, (_, i) => `v${i}`);
    const planned = planTaskStart(
      { name: 'm', taskRef: { name: 't' }, matrix: { params: [{ name: 'x', value: '$(params.list)' }] } },
      { tasks: [] as never },
      { 'params.list': values },
      {},
      { pipelineRunName: 'pr', isFinally: false, attempt: 0 },
    );
    expect(planned).toEqual({ ok: false, overCap: 300 });
  });
});
