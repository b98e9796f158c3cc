import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ZPipelineSpec } from './pipeline-schemas';
import { rerunFromFailed, reusedTaskRunStates, type EarlierRun, type EarlierTaskRun } from './rerun-from-failed';
import type { TaskRunStateName } from './task-run-states';

const spec = (yaml: string) => ZPipelineSpec.parse(parse(yaml));

// a → b → c, d beside them, b reads a's result; finally: report.
const FOUR = spec(`
tasks:
  - {name: a, taskRef: {name: t}}
  - {name: b, taskRef: {name: t}, params: [{name: x, value: $(tasks.a.results.out)}]}
  - {name: c, taskRef: {name: t}, runAfter: [b]}
  - {name: d, taskRef: {name: t}}
finally:
  - {name: report, taskRef: {name: t}}
`);

const tr = (task: string, state: TaskRunStateName, over: Partial<EarlierTaskRun> = {}): EarlierTaskRun => ({
  task,
  name: `old-${task}${over.matrixIndex !== undefined ? `-${over.matrixIndex}` : ''}`,
  state,
  attempt: 0,
  fromRun: 'old',
  status: {
    conditions: [],
    podName: '',
    steps: [],
    results: state === 'succeeded' ? [{ name: 'out', type: 'string', value: `${task}-value` }] : [],
  },
  ...over,
});

const run = (over: Partial<EarlierRun>): EarlierRun => ({
  name: 'old',
  conditionStatus: 'False',
  spec: FOUR,
  taskRuns: [],
  skipped: [],
  ...over,
});

describe('rerunFromFailed: which tasks are reused', () => {
  it.each<[string, Partial<EarlierRun>, string[], string[]]>([
    [
      'b failed: a and d are reused; b, c (skipped after it) and finally run again',
      {
        taskRuns: [tr('a', 'succeeded'), tr('b', 'failed'), tr('d', 'succeeded'), tr('report', 'succeeded')],
        skipped: ['c'],
      },
      ['a', 'd'],
      ['b', 'c', 'report'],
    ],
    [
      'a cancelled: everything below it and d (cancelled too) run again',
      { taskRuns: [tr('a', 'cancelled'), tr('d', 'cancelled')], skipped: ['b', 'c', 'report'] },
      [],
      ['a', 'b', 'c', 'd', 'report'],
    ],
    [
      'a task failed under onError: continue (its TaskRun failed) runs again, and what depends on it',
      { taskRuns: [tr('a', 'failed'), tr('b', 'succeeded'), tr('c', 'succeeded'), tr('d', 'succeeded')] },
      ['d'],
      ['a', 'b', 'c', 'report'],
    ],
    [
      'a task that succeeded below a skipped one runs again (nothing reused rests on a task that runs again)',
      {
        spec: spec(`
tasks:
  - {name: gate, taskRef: {name: t}, when: [{input: x, operator: in, values: [y]}]}
  - {name: after, taskRef: {name: t}, runAfter: [gate]}
  - {name: broken, taskRef: {name: t}}
`),
        taskRuns: [tr('after', 'succeeded'), tr('broken', 'failed')],
        skipped: ['gate'],
      },
      [],
      ['gate', 'after', 'broken'],
    ],
    [
      'a timed-out task (its TaskRun failed with TaskRunTimeout) runs again',
      { taskRuns: [tr('a', 'succeeded'), tr('b', 'failed'), tr('d', 'failed')], skipped: ['c'] },
      ['a'],
      ['b', 'c', 'd', 'report'],
    ],
    [
      'a task reused by the earlier run (itself a rerun) is reused again',
      {
        taskRuns: [
          tr('a', 'succeeded', { fromRun: 'first' }),
          tr('b', 'succeeded'),
          tr('c', 'failed'),
          tr('d', 'succeeded', { fromRun: 'first' }),
        ],
      },
      ['a', 'b', 'd'],
      ['c', 'report'],
    ],
  ])('%s', (_, over, reused, rerun) => {
    const plan = rerunFromFailed(run(over));
    if (!plan.ok) throw new Error(plan.message);
    expect([...new Set(plan.reused.map((r) => r.task))]).toEqual(reused);
    expect(plan.rerun).toEqual(rerun);
  });

  const MATRIX = spec(`
tasks:
  - {name: m, taskRef: {name: t}, matrix: {params: [{name: v, value: [x, y]}]}}
  - {name: n, taskRef: {name: t}, runAfter: [m]}
`);
  it('a matrix task is reused only when every combination succeeded, each TaskRun with its index', () => {
    const all = rerunFromFailed(
      run({
        spec: MATRIX,
        taskRuns: [
          tr('m', 'succeeded', { matrixIndex: 1 }),
          tr('m', 'succeeded', { matrixIndex: 0 }),
          tr('n', 'failed'),
        ],
      }),
    );
    expect(all.ok && all.reused.map((r) => [r.task, r.matrixIndex, r.taskRunName])).toEqual([
      ['m', 0, 'old-m-0'],
      ['m', 1, 'old-m-1'],
    ]);
    const one = rerunFromFailed(
      run({
        spec: MATRIX,
        taskRuns: [tr('m', 'succeeded', { matrixIndex: 0 }), tr('m', 'failed', { matrixIndex: 1 })],
        skipped: ['n'],
      }),
    );
    expect(one.ok && one.reused).toEqual([]);
    expect(one.ok && one.rerun).toEqual(['m', 'n']);
  });

  it('refuses a run that succeeded (nothing failed) and one still going', () => {
    expect(rerunFromFailed(run({ conditionStatus: 'True' }))).toMatchObject({
      ok: false,
      reason: 'NothingFailed',
      message: expect.stringContaining('nothing failed; use rerun without --from-failed'),
    });
    expect(rerunFromFailed(run({ conditionStatus: 'Unknown' }))).toMatchObject({ ok: false, reason: 'NotFinished' });
  });

  it('keeps the reused TaskRun, its run and its status (results, steps) for the new run', () => {
    const plan = rerunFromFailed(run({ taskRuns: [tr('a', 'succeeded', { attempt: 1 }), tr('b', 'failed')] }));
    expect(plan.ok && plan.reused).toEqual([
      {
        task: 'a',
        taskRunName: 'old-a',
        fromRun: 'old',
        attempt: 1,
        status: tr('a', 'succeeded').status,
      },
    ]);
  });
});

describe('reusedTaskRunStates', () => {
  it('gives the scheduler succeeded TaskRuns with reason Reused and their results as text', () => {
    const status = {
      ...tr('a', 'succeeded').status,
      results: [
        { name: 'out', type: 'string' as const, value: 'v' },
        { name: 'list', type: 'array' as const, value: ['x', 'y'] },
      ],
      startTime: '2026-01-01T00:00:00.000Z',
    };
    expect(
      reusedTaskRunStates([{ task: 'a', matrixIndex: 2, taskRunName: 'old-a', fromRun: 'old', attempt: 0, status }]),
    ).toEqual([
      {
        task: 'a',
        matrixIndex: 2,
        status: 'Succeeded',
        reason: 'Reused',
        attempt: 0,
        results: { out: 'v', list: '["x","y"]' },
        startTime: new Date('2026-01-01T00:00:00.000Z'),
      },
    ]);
  });
});
