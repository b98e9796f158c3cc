import { describe, expect, it } from 'vitest';
import { finishCondition, pipelineResults } from './finish-pipeline-run';
import { MAX_TASK_PARAM_LENGTH } from './plan-task-start';
import type { TPipelineTask } from './pipeline-schemas';
import type { TaskPhase } from './run-state';

const tasks = (n: number): TPipelineTask[] =>
  Array.from({ length: n }, (_, i) => ({ name: `t${i}`, taskRef: { name: 'x' } }));
const opts = { timedOut: false, taskRunTimedOut: () => false, runName: 'r1' };

describe('finishCondition', () => {
  it.each<
    [
      TaskPhase[],
      Partial<typeof opts> & { specStatus?: 'Cancelled' | 'CancelledRunFinally' | 'StoppedRunFinally' },
      string,
    ]
  >([
    [['succeeded', 'succeeded'], {}, 'True Succeeded Tasks Completed: 2 (Failed: 0, Cancelled 0), Skipped: 0'],
    [['succeeded', 'skipped'], {}, 'True Completed Tasks Completed: 1 (Failed: 0, Cancelled 0), Skipped: 1'],
    [['failed', 'succeeded', 'skipped'], {}, 'False Failed Tasks Completed: 2 (Failed: 1, Cancelled 0), Skipped: 1'],
    [
      ['failed'],
      { taskRunTimedOut: () => true },
      'False TaskRunTimeout Tasks Completed: 1 (Failed: 1, Cancelled 0), Skipped: 0',
    ],
    [['cancelled', 'succeeded'], {}, 'False Cancelled Tasks Completed: 2 (Failed: 0, Cancelled 1), Skipped: 0'],
    [
      ['running', 'succeeded'],
      { specStatus: 'Cancelled' },
      'False Cancelled Tasks Completed: 2 (Failed: 0, Cancelled 1), Skipped: 0',
    ],
    [
      ['cancelled', 'skipped'],
      { specStatus: 'CancelledRunFinally' },
      // Upstream: a graceful cancel ends as Cancelled once finally has run (CancelledRunningFinally only meanwhile).
      'False Cancelled PipelineRun "r1" was cancelled',
    ],
    [['succeeded', 'skipped'], { specStatus: 'StoppedRunFinally' }, 'False Cancelled PipelineRun "r1" was cancelled'],
    [
      ['failed', 'skipped'],
      { specStatus: 'CancelledRunFinally' },
      'False Failed Tasks Completed: 1 (Failed: 1, Cancelled 0), Skipped: 1',
    ],
    [
      ['succeeded', 'skipped'],
      { timedOut: true },
      'False PipelineRunTimeout Tasks Completed: 1 (Failed: 0, Cancelled 0), Skipped: 1',
    ],
    [
      ['ignored', 'succeeded'],
      {},
      'True Succeeded Tasks Completed: 2 (Failed: 1 (Ignored: 1), Cancelled 0), Skipped: 0',
    ],
  ])('%j %j', (phases, over, expected) => {
    const c = finishCondition(phases, tasks(phases.length), { ...opts, ...over });
    expect(`${c.status} ${c.reason} ${c.message}`).toBe(expected);
  });
});

describe('pipelineResults', () => {
  it('resolves results and leaves out those of tasks that did not succeed', () => {
    const spec = {
      tasks: tasks(2),
      results: [
        { name: 'a', value: '$(tasks.t0.results.sha)' },
        { name: 'b', value: '$(tasks.t1.results.sha)' },
        { name: 'c', value: ['$(tasks.t0.results.list[*])', 'z'] },
        { name: 'd', value: '$(tasks.t0.results.unwritten)' },
      ],
    };
    const phase = (t: TPipelineTask): TaskPhase => (t.name === 't0' ? 'succeeded' : 'failed');
    const scope = { 'tasks.t0.results.sha': 'abc', 'tasks.t0.results.list': ['x', 'y'] };
    expect(pipelineResults(spec, (n) => spec.tasks.find((t) => t.name === n), phase, scope)).toEqual([
      { name: 'a', value: 'abc' },
      { name: 'c', value: ['x', 'y', 'z'] },
    ]);
  });

  it('leaves out a result that would be longer than MAX_TASK_PARAM_LENGTH, without building it', () => {
    const spec = {
      tasks: tasks(1),
      results: [
        { name: 'fits', value: '$(tasks.t0.results.r)'.repeat(MAX_TASK_PARAM_LENGTH / 4096) },
        // 140,000 × 4 KiB is past V8's longest string (2^29 - 24): building it would throw, not just be slow.
        { name: 'huge', value: '$(tasks.t0.results.r)'.repeat(140_000) },
      ],
    };
    const scope = { 'tasks.t0.results.r': 'r'.repeat(4096) };
    const found = pipelineResults(
      spec,
      (n) => spec.tasks.find((t) => t.name === n),
      () => 'succeeded',
      scope,
    );
    expect(found.map((r) => [r.name, (r.value as string).length])).toEqual([['fits', MAX_TASK_PARAM_LENGTH]]);
  }, 20_000); // three scans over 140,000 references: about 1.5 s, several times that on a loaded 2-core machine
});
