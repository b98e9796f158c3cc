import { describe, expect, it } from 'vitest';
import { planChildTaskRun } from './plan-child-task-run';
import { MAX_TASK_PARAM_LENGTH, planTaskStart } from './plan-task-start';
import type { TPipelineTask } from './pipeline-schemas';

/** A pipeline task param repeating a long pipeline param: the value is not built, its TaskRun fails saying why. */
const big = 'x'.repeat(1024 * 1024);
const scope = { 'params.big': big, 'params.small': 'abc' };
const opts = { pipelineRunName: 'pr', isFinally: false, attempt: 0 };
const plan = (task: Omit<TPipelineTask, 'name' | 'taskRef'>) =>
  planTaskStart({ name: 'use', taskRef: { name: 't' }, ...task }, { tasks: [] as never }, scope, {}, opts);

describe('planTaskStart: values that would grow too long', () => {
  it('substitutes values up to the limit', () => {
    const planned = plan({ params: [{ name: 'v', value: '$(params.big)' }] });
    expect(planned.ok && planned.starts[0].params.v).toBe(big);
    expect(planned.ok && planned.starts[0].problem).toBeUndefined();
  });

  it.each<[string, Omit<TPipelineTask, 'name' | 'taskRef'>, string]>([
    ['a string param', { params: [{ name: 'v', value: '$(params.big)'.repeat(1000) }] }, 'the value of param "v"'],
    [
      'an array param',
      { params: [{ name: 'v', value: ['$(params.big)', '$(params.big)'] }] },
      'the value of param "v"',
    ],
    [
      'a workspace subPath',
      { workspaces: [{ name: 'w', workspace: 'w', subPath: '$(params.big)$(params.big)' }] },
      'the subPath of workspace "w"',
    ],
    [
      'a matrix param',
      { matrix: { params: [{ name: 'm', value: ['$(params.big)$(params.big)', 'b'] }] } },
      'matrix param "m"',
    ],
  ])('leaves %s as it is and gives the start a problem', (_, task, what) => {
    const planned = plan(task);
    expect(planned.ok).toBe(true);
    const starts = planned.ok ? planned.starts : [];
    expect(starts.length).toBeGreaterThan(0);
    for (const s of starts) {
      expect(s.problem).toMatch(
        new RegExp(
          `^${what} of pipeline task "use" would be \\d+ characters long .*at most ${MAX_TASK_PARAM_LENGTH} are allowed$`,
        ),
      );
      expect(JSON.stringify(s.params).length).toBeLessThan(2 * MAX_TASK_PARAM_LENGTH);
    }
  });

  it('the TaskRun of such a start fails with InvalidParamValue before anything is resolved', () => {
    const planned = plan({ params: [{ name: 'v', value: '$(params.big)'.repeat(1000) }] });
    const start = planned.ok ? planned.starts[0] : undefined;
    const ctx = {
      pipelineRunName: 'pr',
      pipelineRunId: 'id',
      taskSpecs: {},
      boundWorkspaces: {},
      companions: { configMaps: {}, secrets: {} },
      stepActions: () => undefined,
    };
    expect(planChildTaskRun(start!, ctx, 'uid')).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({
          reason: 'InvalidParamValue',
          task: 'use',
          message: expect.stringContaining('would be 1048576000 characters long'),
        }),
      ],
    });
  });
});
