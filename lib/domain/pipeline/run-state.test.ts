import { describe, expect, it } from 'vitest';
import type { TPipelineTask } from './pipeline-schemas';
import type { SkippingReason } from './reasons';
import {
  aggregateStatus,
  executionStatus,
  resultScope,
  taskPhase,
  type TaskPhase,
  type TaskRunState,
} from './run-state';

const task = (extra: Partial<TPipelineTask> = {}): TPipelineTask => ({ name: 'a', taskRef: { name: 't' }, ...extra });
const run = (status: TaskRunState['status'], attempt = 0, matrixIndex?: number): TaskRunState => ({
  task: 'a',
  status,
  attempt,
  matrixIndex,
});

describe('taskPhase', () => {
  it.each<[string, Partial<TPipelineTask>, TaskRunState[] | undefined, SkippingReason | undefined, TaskPhase]>([
    ['not started', {}, undefined, undefined, 'pending'],
    ['skipped wins', {}, undefined, 'When Expressions evaluated to false', 'skipped'],
    ['running', {}, [run('Running')], undefined, 'running'],
    ['succeeded', {}, [run('Succeeded')], undefined, 'succeeded'],
    ['failed without retries', {}, [run('Failed')], undefined, 'failed'],
    ['failed with retries left', { retries: 1 }, [run('Failed')], undefined, 'retrying'],
    ['failed after the last retry', { retries: 1 }, [run('Failed', 1)], undefined, 'failed'],
    ['failure ignored', { onError: 'continue' }, [run('Failed')], undefined, 'ignored'],
    ['cancelled', { retries: 3 }, [run('Cancelled')], undefined, 'cancelled'],
    ['matrix with one running', {}, [run('Succeeded', 0, 0), run('Running', 0, 1)], undefined, 'running'],
    ['matrix with one failed', {}, [run('Succeeded', 0, 0), run('Failed', 0, 1)], undefined, 'failed'],
  ])('%s', (_label, extra, runs, skip, phase) => {
    expect(taskPhase(task(extra), runs, skip)).toBe(phase);
  });
});

describe('status variables', () => {
  it('$(tasks.T.status) by phase', () => {
    const phases: TaskPhase[] = ['succeeded', 'failed', 'cancelled', 'skipped'];
    expect(Object.fromEntries(phases.map((p) => [p, executionStatus(p)]))).toEqual({
      succeeded: 'Succeeded',
      failed: 'Failed',
      cancelled: 'Failed',
      skipped: 'None',
    });
  });

  it.each<[TaskPhase[], string]>([
    [['succeeded', 'succeeded'], 'Succeeded'],
    [['succeeded', 'skipped'], 'Completed'],
    [['succeeded', 'failed', 'skipped'], 'Failed'],
    [['succeeded', 'cancelled'], 'None'],
  ])('$(tasks.status) of %j is %s', (phases, value) => {
    expect(aggregateStatus(phases)).toBe(value);
  });
});

describe('resultScope', () => {
  it('types results by their declarations', () => {
    const spec = {
      steps: [{ image: 'a' }],
      results: [
        { name: 'list', type: 'array' as const },
        { name: 'obj', type: 'object' as const },
      ],
    };
    const runs: TaskRunState[] = [
      { task: 'a', status: 'Succeeded', attempt: 0, results: { list: '["x"]', obj: '{"k":"v"}', plain: 'p' } },
    ];
    expect(resultScope(task(), spec, runs)).toEqual({
      'tasks.a.results.list': ['x'],
      'tasks.a.results.obj': { k: 'v' },
      'tasks.a.results.plain': 'p',
    });
  });
});
