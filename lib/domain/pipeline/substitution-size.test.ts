import { describe, expect, it } from 'vitest';
import { planChildTaskRun, type ChildContext } from './plan-child-task-run';
import type { TaskRunStart } from './plan-task-start';
import { substituteString } from './substitute';
import { MAX_SUBSTITUTED_LENGTH, SubstitutionTooLong, substitutedSize } from './substitution-size';
import { ZStepActionSpec, ZTaskSpec } from './task-schemas';

/**
 * Text that repeats a long param is measured before it is built: a Task, a stepTemplate copied into many steps or
 * a StepAction that would outgrow MAX_SUBSTITUTED_LENGTH fails its TaskRun instead of taking the worker's memory.
 */
const big = 'x'.repeat(1024 * 1024);

function planWith(taskSpec: unknown, stepActions: ChildContext['stepActions'] = () => undefined) {
  const start: TaskRunStart = {
    task: 'use',
    finally: false,
    attempt: 0,
    taskRunName: 'pr-use',
    params: { v: big },
    workspaces: [],
    taskSpec: ZTaskSpec.parse(taskSpec),
  };
  const ctx: ChildContext = {
    pipelineRunName: 'pr',
    pipelineRunId: 'id',
    taskSpecs: {},
    boundWorkspaces: {},
    companions: { configMaps: {}, secrets: {} },
    stepActions,
  };
  return planChildTaskRun(start, ctx, 'uid');
}

const refusal = (what: string) => ({
  ok: false,
  errors: [
    expect.objectContaining({
      reason: 'TaskRunValidationFailed',
      task: 'use',
      message: expect.stringMatching(
        new RegExp(`^${what} would be \\d+ characters long .*at most ${MAX_SUBSTITUTED_LENGTH} are allowed$`),
      ),
    }),
  ],
});

describe('substitutedSize', () => {
  it('is the length of all strings of a value once substituted', () => {
    const scope = { 'params.a': 'abc', 'params.list': ['x', 'y'] };
    const value = { script: '$(params.a)$(params.a)', args: ['$(params.list[*])', 'n'], n: 3, t: true, none: null };
    const expected = ['$(params.a)$(params.a)', '$(params.list[*])', 'n'].reduce(
      (sum, s) => sum + substituteString(s, scope).length,
      0,
    );
    expect(substitutedSize(value, scope)).toBe(expected);
  });
});

describe('substituteString', () => {
  const scope = { 'params.v': big };
  it(`builds text up to ${MAX_SUBSTITUTED_LENGTH} characters`, () => {
    expect(substituteString('$(params.v)'.repeat(8), scope)).toHaveLength(MAX_SUBSTITUTED_LENGTH);
  });

  it('throws SubstitutionTooLong for longer text, whatever substitutes it (when, taskRef names, onError…)', () => {
    expect(() => substituteString('$(params.v)'.repeat(1000), scope)).toThrow(SubstitutionTooLong);
    expect(() => substituteString('$(params.v)'.repeat(9), scope)).toThrow(
      `a text would be more than ${MAX_SUBSTITUTED_LENGTH} characters long`,
    );
  });
});

describe('planChildTaskRun: text that would grow too long once substituted', () => {
  it('plans a script that uses a 1 MiB param a few times', () => {
    const planned = planWith({
      params: [{ name: 'v' }],
      steps: [{ name: 's', image: 'alpine', script: 'echo "$(params.v)$(params.v)"' }],
    });
    expect(planned.ok && planned.plan.steps[0].script?.length).toBe(2 * big.length + 'echo ""'.length);
  });

  it('refuses a script that repeats it 1000 times', () => {
    const planned = planWith({
      params: [{ name: 'v' }],
      steps: [{ name: 's', image: 'alpine', script: 'true $(params.v)\n'.repeat(1000) }],
    });
    expect(planned).toEqual(refusal('the spec of Task "use"'));
  });

  it('refuses a stepTemplate env using it, copied into 20 steps', () => {
    const planned = planWith({
      params: [{ name: 'v' }],
      stepTemplate: { env: [{ name: 'V', value: '$(params.v)' }] },
      steps: Array.from({ length: 20 }, (_, i) => ({ name: `s${i}`, image: 'alpine', script: 'true' })),
    });
    expect(planned).toEqual(refusal('the steps of Task "use"'));
  });

  it('refuses a StepAction whose script repeats its param 1000 times', () => {
    const action = ZStepActionSpec.parse({
      params: [{ name: 'p' }],
      image: 'alpine',
      script: 'true $(params.p)\n'.repeat(1000),
    });
    const planned = planWith(
      {
        params: [{ name: 'v' }],
        steps: [{ name: 's', ref: { name: 'act' }, params: [{ name: 'p', value: '$(params.v)' }] }],
      },
      (name) => (name === 'act' ? action : undefined),
    );
    expect(planned).toEqual(refusal('StepAction "act" of step 0'));
  });
});
